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

// The required value of a parameter; nullopt if the value is not a boolean.
std::optional<bool> Required(const RuleContext& ctx, std::string_view name) {
  const std::string v = ToLower(Trim(ctx.Param(name).value_or("")));
  if (v.empty() || v == "true" || v == "yes" || v == "y" || v == "t" || v == "1") return true;
  if (v == "false" || v == "no" || v == "n" || v == "f" || v == "0") return false;
  return std::nullopt;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  const std::optional<s3::BlockPublicAccess> bpa = s3::AccountBlockPublicAccess(ctx, account);
  struct Setting {
    std::string_view name;
    bool actual;
  };
  const Setting settings[] = {
      {"BlockPublicAcls", bpa ? bpa->block_public_acls : false},
      {"IgnorePublicAcls", bpa ? bpa->ignore_public_acls : false},
      {"BlockPublicPolicy", bpa ? bpa->block_public_policy : false},
      {"RestrictPublicBuckets", bpa ? bpa->restrict_public_buckets : false},
  };
  std::string problems;
  for (const Setting& s : settings) {
    const std::optional<bool> wanted = Required(ctx, s.name);
    if (!wanted) {
      problems += (problems.empty() ? "" : "; ") + std::string(s.name) + " parameter '" +
                  std::string(Trim(ctx.Param(s.name).value_or(""))) + "' is not True or False";
      continue;
    }
    if (!bpa) continue;
    if (s.actual != *wanted)
      problems += (problems.empty() ? "" : "; ") + std::string(s.name) + " is " +
                  (s.actual ? "true" : "false") + ", required " + (*wanted ? "true" : "false");
  }
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
