// S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS (s3-account-level-public-access-blocks): the
// account-level S3 Block Public Access settings recorded in the AWS::S3::AccountPublicAccessBlock
// configuration item must match the parameters IgnorePublicAcls, BlockPublicPolicy,
// BlockPublicAcls and RestrictPublicBuckets ("True" or "False", each True by default). AWS: "The
// rule is only NON_COMPLIANT when the fields set below do not match the corresponding fields in
// the configuration item." The configuration-change sibling of
// S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC; AWS Config records no item (and AWS's rule gives
// INSUFFICIENT_DATA) while the account has no Block Public Access configuration, so there is
// nothing to evaluate then.
//
// Data: the item's configuration (blockPublicAcls, ignorePublicAcls, blockPublicPolicy,
// restrictPublicBuckets; a flag that is absent is false). An item without a configuration object
// falls back to s3::AccountBlockPublicAccess (the fact s3control-get-public-access-block, else
// the latest recorded item of the account).
//
// Choices where AWS's page is silent (as for the periodic rule):
// - "Match" is equality: a parameter "False" requires the setting to be off.
// - Parameter values are read ignoring case and surrounding blanks: true/false (also yes/no, y/n,
//   t/f, 1/0); an empty value means the default, True. Any other value matches nothing:
//   NON_COMPLIANT, with an annotation naming it.
#include <optional>
#include <string>

#include "common/strings.h"
#include "rules/managed/s3/s3_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  std::optional<s3::BlockPublicAccess> bpa = s3::ParseBlockPublicAccess(item.Config());
  if (!bpa) bpa = s3::AccountBlockPublicAccess(ctx, item);
  if (!bpa)
    return Verdict::MissingFact("AWS::S3::AccountPublicAccessBlock",
                                "the configuration item records no Block Public Access settings");
  const std::string problems = s3::AccountBlockPublicAccessMismatches(ctx, bpa);
  if (!problems.empty()) return Verdict::NonCompliant(TruncateUtf8(problems, 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS",
    .resource_types = {"AWS::S3::AccountPublicAccessBlock"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "RestrictPublicBuckets",
                    .type = ParamType::kString,
                    .default_value = "True",
                    .optional = true},
                   {.name = "BlockPublicPolicy",
                    .type = ParamType::kString,
                    .default_value = "True",
                    .optional = true},
                   {.name = "BlockPublicAcls",
                    .type = ParamType::kString,
                    .default_value = "True",
                    .optional = true},
                   {.name = "IgnorePublicAcls",
                    .type = ParamType::kString,
                    .default_value = "True",
                    .optional = true}},
    .evaluate = &Evaluate,
    .facts = {"s3control-get-public-access-block"},
}};

}  // namespace
}  // namespace vigil::rules
