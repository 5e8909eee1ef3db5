// S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC (s3-account-level-public-access-blocks-periodic):
// the account-level S3 Block Public Access settings must match the parameters IgnorePublicAcls,
// BlockPublicPolicy, BlockPublicAcls and RestrictPublicBuckets ("True" or "False", each True by
// default): NON_COMPLIANT if one or more settings does not match. Account-level: evaluated
// against an AWS::::Account item (AWS's resource type for this rule).
//
// Data: the global fact s3control-get-public-access-block (the live read; all settings false when
// the account has none), else the latest recorded AWS::S3::AccountPublicAccessBlock item of the
// account (recorded in any region; all false when the type is recorded but no item exists), as
// s3::AccountBlockPublicAccess reads them.
//
// Choices where AWS's page is silent:
// - "Does not match" is equality, as in AWS's original implementation
//   (awslabs S3_PUBLIC_ACCESS_SETTINGS_FOR_ACCOUNT): a parameter "False" requires the setting to
//   be off, so an account with that setting on is NON_COMPLIANT.
// - Parameter values are read ignoring case and surrounding blanks: true/false (also yes/no, y/n,
//   t/f, 1/0, as that implementation accepts); an empty value means the default, True. Any other
//   value matches nothing: NON_COMPLIANT, with an annotation naming it.
#include <optional>
#include <string>

#include "common/strings.h"
#include "rules/managed/s3/s3_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  const std::optional<s3::BlockPublicAccess> bpa = s3::AccountBlockPublicAccess(ctx, account);
  const std::string problems = s3::AccountBlockPublicAccessMismatches(ctx, bpa);
  if (!bpa && problems.empty())
    return Verdict::MissingFact("s3control-get-public-access-block",
                                "the account-level Block Public Access settings are unknown: "
                                "collect s3control-get-public-access-block or record "
                                "AWS::S3::AccountPublicAccessBlock");
  if (!problems.empty()) return Verdict::NonCompliant(TruncateUtf8(problems, 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "IgnorePublicAcls", .type = ParamType::kString, .optional = true},
                   {.name = "BlockPublicPolicy", .type = ParamType::kString, .optional = true},
                   {.name = "BlockPublicAcls", .type = ParamType::kString, .optional = true},
                   {.name = "RestrictPublicBuckets", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
    .facts = {"s3control-get-public-access-block"},
    .context_types = {"AWS::S3::AccountPublicAccessBlock"},
}};

}  // namespace
}  // namespace vigil::rules
