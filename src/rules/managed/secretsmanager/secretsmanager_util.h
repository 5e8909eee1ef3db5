// Secrets Manager helpers shared by the Secrets Manager managed rules: the account fact
// secretsmanager-list-secrets (registered in secretsmanager_util.cc) and the dates it holds.
//
// The AWS::SecretsManager::Secret CI records neither when a secret was last rotated nor when it
// was last accessed. Those dates come from the regional fact
//   secretsmanager-list-secrets  `aws secretsmanager list-secrets --region REGION`:
//   {"SecretList": [{"ARN", "Name", "CreatedDate", "LastRotatedDate", "LastAccessedDate",
//   "NextRotationDate", "RotationEnabled", ...}]}
// Dates are ISO 8601 strings (AWS CLI v2) or epoch seconds (AWS CLI v1); both are read.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/time.h"
#include "json/value.h"
#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::rules::secretsmanager {

inline constexpr std::string_view kListSecretsFact = "secretsmanager-list-secrets";

// The secret's entry in the fact, found by ARN (configuration.ARN, the CI's ARN or resource
// ID), else by name (configuration.Name or the resource name). When it cannot be found, `missing`
// holds the MISSING_FACT verdict to return (fact not collected, or the secret not listed).
struct SecretLookup {
  json::Value entry;
  std::optional<Verdict> missing;
};
SecretLookup FindSecret(const RuleContext& ctx, const model::ConfigurationItem& secret);

// A date of the fact: an ISO 8601 string or a number of epoch seconds; nullopt otherwise.
std::optional<EpochMillis> Date(const json::Value& v);

// Whole days from `from` to `to` (rounded down; negative if `from` is later).
std::int64_t DaysBetween(EpochMillis from, EpochMillis to);

}  // namespace vigil::rules::secretsmanager
