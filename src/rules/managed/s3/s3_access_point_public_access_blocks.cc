// S3_ACCESS_POINT_PUBLIC_ACCESS_BLOCKS (s3-access-point-public-access-blocks): S3 access points
// must have their Block Public Access settings enabled; NON_COMPLIANT if they are not.
// excludedAccessPoints lists the names of access points allowed to be public.
//
// Data: configuration.PublicAccessBlockConfiguration of the AWS::S3::AccessPoint CI
// ({"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"}), and
// configuration.Name.
//
// Choices where AWS's page is silent:
// - "Enabled" means all four settings are on; any one off is NON_COMPLIANT, naming it.
// - An access point listed in excludedAccessPoints is COMPLIANT (names compared exactly, entries
//   trimmed), as S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED treats its excluded buckets.
// - A CI without PublicAccessBlockConfiguration (S3 always reports one for an access point) gives
//   no verdict: MissingFact.
#include <algorithm>
#include <optional>
#include <string>

#include "common/strings.h"
#include "rules/managed/s3/s3_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& point) {
  const json::Value cfg = point.Config();
  const std::string_view name =
      s3::Field(cfg, "Name")
          .String()
          .value_or(point.resource_name.empty() ? point.resource_id : point.resource_name);
  const auto excluded = ctx.CsvParam("excludedAccessPoints");
  if (std::find(excluded.begin(), excluded.end(), name) != excluded.end())
    return Verdict::Compliant("the access point is listed in excludedAccessPoints");
  const json::Value block = s3::Field(cfg, "PublicAccessBlockConfiguration");
  const std::optional<s3::BlockPublicAccess> bpa = s3::ParseBlockPublicAccess(block);
  if (!bpa)
    return Verdict::MissingFact("AWS::S3::AccessPoint",
                                "the configuration item records no PublicAccessBlockConfiguration");
  std::string off;
  auto check = [&](bool on, const char* flag) {
    if (!on) off += (off.empty() ? "" : ", ") + std::string(flag);
  };
  check(bpa->block_public_acls, "BlockPublicAcls");
  check(bpa->ignore_public_acls, "IgnorePublicAcls");
  check(bpa->block_public_policy, "BlockPublicPolicy");
  check(bpa->restrict_public_buckets, "RestrictPublicBuckets");
  if (!off.empty())
    return Verdict::NonCompliant("the access point's Block Public Access is off for: " + off);
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "S3_ACCESS_POINT_PUBLIC_ACCESS_BLOCKS",
    .resource_types = {"AWS::S3::AccessPoint"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "excludedAccessPoints", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
