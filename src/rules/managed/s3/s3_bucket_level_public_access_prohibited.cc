// S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED (s3-bucket-level-public-access-prohibited): the
// bucket's own Block Public Access settings must block public access, unless the bucket is listed
// in excludedPublicBuckets. "Bucket level settings are public" when any of the four bucket-level
// flags (BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets) is off, as
// Security Hub's S3.8, which runs this rule, states. Account-level settings are not looked at.
//
// Data: supplementaryConfiguration.PublicAccessBlockConfiguration, which AWS Config omits when the
// bucket has no Block Public Access configuration (every flag then counts as off).
//
// Choices where AWS's page is silent:
// - A bucket listed in excludedPublicBuckets is COMPLIANT (the page only says it is not
//   NON_COMPLIANT). Names are compared exactly, entries trimmed.
#include <algorithm>
#include <string>

#include "rules/managed/s3/s3_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& bucket) {
  const std::string_view name = s3::BucketName(bucket);
  const auto excluded = ctx.CsvParam("excludedPublicBuckets");
  if (std::find(excluded.begin(), excluded.end(), name) != excluded.end())
    return Verdict::Compliant("bucket is listed in excludedPublicBuckets");
  const s3::BlockPublicAccess bpa = s3::BucketBlockPublicAccess(bucket);
  std::string off;
  auto check = [&](bool on, const char* flag) {
    if (!on) off += (off.empty() ? "" : ", ") + std::string(flag);
  };
  check(bpa.block_public_acls, "BlockPublicAcls");
  check(bpa.ignore_public_acls, "IgnorePublicAcls");
  check(bpa.block_public_policy, "BlockPublicPolicy");
  check(bpa.restrict_public_buckets, "RestrictPublicBuckets");
  if (!off.empty())
    return Verdict::NonCompliant("bucket-level Block Public Access is off for: " + off);
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED",
    .resource_types = {"AWS::S3::Bucket"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "excludedPublicBuckets", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
