// EMR_BLOCK_PUBLIC_ACCESS (emr-block-public-access): an account using Amazon EMR must have EMR
// block public access enabled: NON_COMPLIANT if BlockPublicSecurityGroupRules is false, or if it is
// true and PermittedPublicSecurityGroupRuleRanges lists ports other than port 22. Account-level
// (per account and region): evaluated against an AWS::::Account item.
//
// Data: the fact emr-get-block-public-access-configuration (`aws emr
// get-block-public-access-configuration --region REGION`, {"BlockPublicAccessConfiguration":
// {"BlockPublicSecurityGroupRules": true, "PermittedPublicSecurityGroupRuleRanges": [{"MinRange":
// 22, "MaxRange": 22}]}, ...}); AWS Config records no configuration item for this setting.
//
// Choices where AWS's page is silent:
// - A range without MaxRange is the single port MinRange. Only ranges that are exactly port 22
//   are allowed; a range that contains 22 and other ports (20-25) is NON_COMPLIANT.
// - An empty or absent list of permitted ranges is COMPLIANT.
// - Whether the account has EMR clusters is not considered (the setting is evaluated in every
//   region where the fact was collected).
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kFact = "emr-get-block-public-access-configuration";

const model::FactKindRegistration kBlockPublicAccess{{
    .name = kFact,
    .command = "aws emr get-block-public-access-configuration --region REGION",
    .global = false,
    .description = "the EMR block public access configuration of the region (whether public "
                   "security-group rules are blocked, and the permitted port ranges)",
}};

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  const json::Value fact = ctx.Fact(kFact, account);
  const json::Value config = fact.Get("BlockPublicAccessConfiguration");
  const std::optional<bool> block = config.Get("BlockPublicSecurityGroupRules").Bool();
  if (!block)
    return Verdict::MissingFact(std::string(kFact),
                                fact.Missing() ? "the EMR block public access configuration of "
                                                 "the region was not collected"
                                               : "the fact has no BlockPublicAccessConfiguration."
                                                 "BlockPublicSecurityGroupRules");
  if (!*block) return Verdict::NonCompliant("EMR block public access is disabled");
  std::string other;
  for (json::Value range : config.Get("PermittedPublicSecurityGroupRuleRanges").Elements()) {
    const std::optional<std::int64_t> min = range.Get("MinRange").Int();
    const std::optional<std::int64_t> max = range.Get("MaxRange").Int();
    if (min == 22 && (!max || *max == 22)) continue;
    std::string text = min ? std::to_string(*min) : "?";
    if (max && max != min) text += "-" + std::to_string(*max);
    other += (other.empty() ? "" : ", ") + text;
  }
  if (!other.empty())
    return Verdict::NonCompliant(
        TruncateUtf8("ports other than 22 are permitted for public access: " + other, 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "EMR_BLOCK_PUBLIC_ACCESS",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {kFact},
}};

}  // namespace
}  // namespace vigil::rules
