// S3_BUCKET_DEFAULT_LOCK_ENABLED (s3-bucket-default-lock-enabled): S3 Object Lock must be enabled
// on the bucket; NON_COMPLIANT if it is not. With the mode parameter (GOVERNANCE or COMPLIANCE),
// the bucket's default retention must use that mode.
//
// Data: supplementaryConfiguration.ObjectLockConfiguration ({"objectLockEnabled": "Enabled",
// "rule": {"defaultRetention": {"mode", "days", "years"}}}; the S3 API's ObjectLockEnabled /
// Rule.DefaultRetention.Mode spelling is read too), which AWS Config omits for buckets without
// Object Lock.
//
// Choices where AWS's page is silent:
// - A bucket without ObjectLockConfiguration has no Object Lock: NON_COMPLIANT.
// - Without mode, Object Lock being enabled is enough (no default retention rule is required).
// - mode compares ignoring case and surrounding blanks; a bucket with Object Lock but no default
//   retention does not meet any mode.
#include <string>

#include "common/strings.h"
#include "rules/managed/s3/s3_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& bucket) {
  const json::Value lock = bucket.Supplementary("ObjectLockConfiguration");
  if (!lock.IsObject()) return Verdict::NonCompliant("Object Lock is not enabled on the bucket");
  const std::string enabled(s3::Field(lock, "objectLockEnabled").AsText());
  if (ToLower(Trim(enabled)) != "enabled" && ToLower(Trim(enabled)) != "true")
    return Verdict::NonCompliant("Object Lock is not enabled on the bucket");
  const std::string wanted = ToLower(Trim(ctx.Param("mode").value_or("")));
  if (wanted.empty()) return Verdict::Compliant();
  const json::Value retention = s3::Field(s3::Field(lock, "rule"), "defaultRetention");
  const std::string mode(s3::Field(retention, "mode").String().value_or(""));
  if (mode.empty())
    return Verdict::NonCompliant("Object Lock has no default retention mode, required " +
                                 std::string(Trim(*ctx.Param("mode"))));
  if (ToLower(mode) != wanted)
    return Verdict::NonCompliant("the default retention mode is " + mode + ", required " +
                                 std::string(Trim(*ctx.Param("mode"))));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "S3_BUCKET_DEFAULT_LOCK_ENABLED",
    .resource_types = {"AWS::S3::Bucket"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "mode", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
