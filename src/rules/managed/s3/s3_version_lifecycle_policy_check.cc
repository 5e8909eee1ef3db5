// S3_VERSION_LIFECYCLE_POLICY_CHECK (s3-version-lifecycle-policy-check): versioning-enabled S3
// buckets must have a lifecycle policy; NON_COMPLIANT if no lifecycle policy is enabled.
// bucketNames: "Comma-separated list of Amazon S3 bucket names that have lifecycle policy
// enabled".
//
// Data: supplementaryConfiguration.BucketVersioningConfiguration ({"status": "Off" | "Enabled" |
// "Suspended"}, recorded for every bucket) and BucketLifecycleConfiguration ({"rules": [{"id",
// "status": "Enabled" | "Disabled", ...}]}, omitted when the bucket has none).
//
// Choices where AWS's page is silent:
// - Only buckets whose versioning status is "Enabled" are in scope; others (never versioned, or
//   Suspended) are NOT_APPLICABLE.
// - "Lifecycle policy enabled" means at least one lifecycle rule with status Enabled; it need not
//   act on noncurrent versions.
// - bucketNames limits the rule to the listed buckets: others are NOT_APPLICABLE (as
//   S3_LIFECYCLE_POLICY_CHECK reads its bucketNames). Entries compare exactly (trimmed).
// - A CI without BucketVersioningConfiguration gives no verdict: MissingFact.
#include <algorithm>
#include <string>

#include "rules/managed/s3/s3_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& bucket) {
  const auto names = ctx.CsvParam("bucketNames");
  if (!names.empty() &&
      std::find(names.begin(), names.end(), s3::BucketName(bucket)) == names.end())
    return Verdict::NotApplicable("the bucket is not listed in bucketNames");
  const json::Value versioning = s3::VersioningConfiguration(bucket);
  if (versioning.Missing()) return s3::VersioningNotRecorded();
  const std::string status(versioning.Get("status").String().value_or(""));
  if (status != "Enabled")
    return Verdict::NotApplicable("versioning is " + (status.empty() ? "not set" : status));
  for (json::Value rule :
       bucket.Supplementary("BucketLifecycleConfiguration").Get("rules").Elements())
    if (rule.Get("status").String() == "Enabled") return Verdict::Compliant();
  return Verdict::NonCompliant("the versioned bucket has no enabled lifecycle rule");
}

const ManagedRule kRule{{
    .identifier = "S3_VERSION_LIFECYCLE_POLICY_CHECK",
    .resource_types = {"AWS::S3::Bucket"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "bucketNames", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
