// S3_BUCKET_LOGGING_ENABLED (s3-bucket-logging-enabled): server access logging must be enabled
// on the bucket; with targetBucket / targetPrefix, logs must go to that bucket / prefix.
//
// Data: supplementaryConfiguration.BucketLoggingConfiguration, which AWS Config records for every
// bucket as {"destinationBucketName": name|null, "logFilePrefix": prefix|null}; logging is
// enabled when destinationBucketName is set.
//
// Choices where AWS's page is silent:
// - targetBucket and targetPrefix are compared exactly (case-sensitive, as S3 names and keys
//   are); an empty parameter checks nothing. A targetPrefix is met only by that exact prefix, and
//   an unset logFilePrefix counts as "".
// - targetBucket may also be given as the bucket's ARN (arn:aws:s3:::name).
// - A CI without BucketLoggingConfiguration (AWS Config always records it, so the item was read
//   without its supplementary configuration) gives no verdict: MissingFact.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& bucket) {
  const json::Value logging = bucket.Supplementary("BucketLoggingConfiguration");
  if (!logging.IsObject())
    return Verdict::MissingFact(
        "AWS::S3::Bucket",
        "the configuration item has no supplementaryConfiguration.BucketLoggingConfiguration");
  const std::string_view destination = logging.Get("destinationBucketName").String().value_or("");
  if (destination.empty()) return Verdict::NonCompliant("server access logging is not enabled");

  std::string_view want_bucket = Trim(ctx.Param("targetBucket").value_or(""));
  if (StartsWith(want_bucket, "arn:aws:s3:::")) want_bucket.remove_prefix(13);
  if (!want_bucket.empty() && want_bucket != destination)
    return Verdict::NonCompliant("logs go to bucket '" + std::string(destination) + "', not '" +
                                 std::string(want_bucket) + "'");
  const std::string_view want_prefix = Trim(ctx.Param("targetPrefix").value_or(""));
  const std::string_view prefix = logging.Get("logFilePrefix").String().value_or("");
  if (!want_prefix.empty() && want_prefix != prefix)
    return Verdict::NonCompliant("log prefix is '" + std::string(prefix) + "', not '" +
                                 std::string(want_prefix) + "'");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "S3_BUCKET_LOGGING_ENABLED",
    .resource_types = {"AWS::S3::Bucket"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "targetPrefix", .type = ParamType::kString, .optional = true},
                   {.name = "targetBucket", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
