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

// The required value of a parameter; nullopt if the value is not a boolean.
std::optional<bool> Required(const RuleContext& ctx, std::string_view name) {
  const std::string v = ToLower(Trim(ctx.Param(name).value_or("")));
  if (v.empty() || v == "true" || v == "yes" || v == "y" || v == "t" || v == "1") return true;
  if (v == "false" || v == "no" || v == "n" || v == "f" || v == "0") return false;
  return std::nullopt;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  std::optional<s3::BlockPublicAccess> bpa = s3::ParseBlockPublicAccess(item.Config());
  if (!bpa) bpa = s3::AccountBlockPublicAccess(ctx, item);
  if (!bpa)
    return Verdict::MissingFact("AWS::S3::AccountPublicAccessBlock",
                                "the configuration item records no Block Public Access settings");
  struct Setting {
    std::string_view name;
    bool actual;
  };
  const Setting settings[] = {
      {"BlockPublicAcls", bpa->block_public_acls},
      {"IgnorePublicAcls", bpa->ignore_public_acls},
      {"BlockPublicPolicy", bpa->block_public_policy},
      {"RestrictPublicBuckets", bpa->restrict_public_buckets},
  };
  std::string problems;
  for (const Setting& s : settings) {
    const std::optional<bool> wanted = Required(ctx, s.name);
    if (!wanted) {
      problems += (problems.empty() ? "" : "; ") + std::string(s.name) + " parameter '" +
                  std::string(Trim(ctx.Param(s.name).value_or(""))) + "' is not True or False";
    } else if (s.actual != *wanted) {
      problems += (problems.empty() ? "" : "; ") + std::string(s.name) + " is " +
                  (s.actual ? "true" : "false") + ", required " + (*wanted ? "true" : "false");
    }
  }
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
