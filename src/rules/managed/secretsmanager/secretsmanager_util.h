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

// The whole of SECRETSMANAGER_SECRET_PERIODIC_ROTATION and SECRETSMANAGER_SECRET_UNUSED: the time
// since the secret was last `event` ("rotated", "accessed"; the fact's `date_field`,
// "LastRotatedDate" or "LastAccessedDate"), or since its CreatedDate when it never was, must not
// exceed the integer parameter `days_param` (default 90) whole days (N x 24 hours) before the
// evaluation time: NON_COMPLIANT when it does. MissingFact when the fact does not list the secret
// or gives neither date.
Verdict EvaluateDaysSince(const RuleContext& ctx, const model::ConfigurationItem& secret,
                          std::string_view date_field, std::string_view event,
                          std::string_view days_param);

}  // namespace vigil::rules::secretsmanager
