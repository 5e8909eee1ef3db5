// SHIELD_DRT_ACCESS (shield-drt-access): the Shield Response Team (SRT) must be able to access
// the account. AWS: NON_COMPLIANT if AWS Shield Advanced is enabled but the role for SRT access is
// not configured. Account-level: evaluated against an AWS::::Account item (AWS runs it in US East
// (N. Virginia) only; Shield Advanced is global).
//
// Data (both registered here, global, asked of us-east-1):
// - shield-get-subscription-state: `aws shield get-subscription-state`
//   ({"SubscriptionState": "ACTIVE" | "INACTIVE"});
// - shield-describe-drt-access: `aws shield describe-drt-access` ({"RoleArn": "...",
//   "LogBucketList": [...]}, without RoleArn when none is configured). ResourceNotFoundException
//   is recorded as an answer: no SRT access is configured.
//
// Choices where AWS's page is silent:
// - Without an active Shield Advanced subscription the rule is NOT_APPLICABLE.
// - Any non-empty RoleArn counts as configured; the log bucket list is not considered.
// - Other error answers are no answer (MISSING_FACT).
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/fact_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kSubscription = "shield-get-subscription-state";
constexpr std::string_view kDrtAccess = "shield-describe-drt-access";

const model::FactKindRegistration kSubscriptionFact{{
    .name = kSubscription,
    .command = "aws shield get-subscription-state --region us-east-1",
    .global = true,
    .description = "whether the account subscribes to AWS Shield Advanced (ACTIVE or INACTIVE)",
}};

const model::FactKindRegistration kDrtAccessFact{{
    .name = kDrtAccess,
    .command = "aws shield describe-drt-access --region us-east-1",
    .global = true,
    .answer_errors = "ResourceNotFoundException",
    .description = "the IAM role (RoleArn) and log buckets the Shield Response Team may use",
}};

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  const json::Value sub = ctx.Fact(kSubscription, account);
  const auto state = sub.Get("SubscriptionState").String();
  if (!state)
    return Verdict::MissingFact(std::string(kSubscription),
                                sub.Missing() ? "the Shield Advanced subscription was not collected"
                                              : "the fact has no SubscriptionState");
  if (ToLower(Trim(*state)) != "active")
    return Verdict::NotApplicable("Shield Advanced is not enabled (" + std::string(*state) + ")");

  Verdict missing;
  const auto drt = ReadFactAnswer(ctx.Fact(kDrtAccess, account), kDrtAccess,
                                  "the SRT access was not collected", &missing);
  if (!drt) return missing;
  if (drt->error) return Verdict::NonCompliant("no role is configured for SRT access");
  const std::string_view role = Trim(drt->value.Get("RoleArn").String().value_or(""));
  if (role.empty()) return Verdict::NonCompliant("no role is configured for SRT access");
  return Verdict::Compliant(TruncateUtf8("SRT access role " + std::string(role), 256));
}

const ManagedRule kRule{{
    .identifier = "SHIELD_DRT_ACCESS",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {kSubscription, kDrtAccess},
}};

}  // namespace
}  // namespace vigil::rules
