// CLOUDFRONT_ACCESSLOGS_ENABLED (cloudfront-accesslogs-enabled): CloudFront distributions must
// deliver access logs to an Amazon S3 bucket with standard logging (legacy). AWS: NON_COMPLIANT if
// a distribution does not have legacy logging configured; `S3BucketName` names the bucket the
// logs must go to.
//
// The data is the CI's configuration.distributionConfig.logging ({"enabled", "bucket",
// "prefix", "includeCookies"}); `bucket` is the bucket's domain name, such as
// "my-logs.s3.amazonaws.com". Standard logging v2 (CloudWatch Logs delivery) is not part of the
// CI and, per AWS's page, does not count.
//
// Choices where AWS's page is silent:
// - Logging is configured when `enabled` is true and `bucket` is not empty.
// - `S3BucketName` is compared with the bucket name in `bucket` (the part before ".s3." or
//   ".s3-"), ignoring case; the full domain name given as the parameter matches too.
#include <string>

#include "common/strings.h"
#include "rules/managed/cloudfront/cloudfront_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

// "my-logs.s3.amazonaws.com" -> "my-logs"; a value without an S3 suffix is returned whole.
std::string_view BucketName(std::string_view domain) {
  for (size_t pos = domain.rfind(".s3"); pos != std::string_view::npos && pos > 0;
       pos = domain.rfind(".s3", pos - 1)) {
    const size_t next = pos + 3;
    if (next < domain.size() && (domain[next] == '.' || domain[next] == '-'))
      return domain.substr(0, pos);
  }
  return domain;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  const json::Value dc = cloudfront::DistributionConfig(item);
  if (dc.Missing()) return cloudfront::ConfigMissing(item);
  const json::Value logging = cloudfront::Field(dc, "logging");
  const std::string_view bucket = Trim(cloudfront::Str(logging, "bucket"));
  if (cloudfront::Field(logging, "enabled").Bool() != true || bucket.empty())
    return Verdict::NonCompliant("standard (legacy) access logging is not enabled");
  const std::string_view wanted = Trim(ctx.Param("S3BucketName").value_or(""));
  if (wanted.empty()) return Verdict::Compliant("access logs go to " + std::string(bucket));
  if (cloudfront::EqualsIgnoreCase(BucketName(bucket), wanted) ||
      cloudfront::EqualsIgnoreCase(bucket, wanted))
    return Verdict::Compliant("access logs go to " + std::string(bucket));
  return Verdict::NonCompliant(TruncateUtf8(
      "access logs go to " + std::string(bucket) + ", not to S3BucketName " + std::string(wanted),
      256));
}

const ManagedRule kRule{cloudfront::DistributionRule(
    "CLOUDFRONT_ACCESSLOGS_ENABLED", &Evaluate,
    {{.name = "S3BucketName", .type = ParamType::kString, .optional = true}})};

}  // namespace
}  // namespace vigil::rules
