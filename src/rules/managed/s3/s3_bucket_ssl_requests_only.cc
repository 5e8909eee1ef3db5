// S3_BUCKET_SSL_REQUESTS_ONLY: the bucket policy must explicitly deny plain-HTTP requests.
#include "rules/managed/s3/s3_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

// AWS: "COMPLIANT if buckets explicitly deny access to HTTP requests", with the knowledge-center
// example Deny / Principal "*" / s3:* / {"Bool":{"aws:SecureTransport":"false"}}. A bucket with
// no policy allows HTTP and is NON_COMPLIANT. See PolicyDeniesInsecureTransport for the exact
// statement shape accepted.
Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& bucket) {
  const json::Value policy = bucket.Supplementary("BucketPolicy");
  if (s3::PolicyDeniesInsecureTransport(policy, s3::BucketName(bucket)))
    return Verdict::Compliant();
  const json::Value text = policy.IsObject() ? policy.Get("policyText") : policy;
  if (text.Empty())
    return Verdict::NonCompliant("bucket has no policy, so plain-HTTP requests are not denied");
  return Verdict::NonCompliant(
      "no Deny of s3:* for Principal \"*\" on aws:SecureTransport false in the bucket policy");
}

const ManagedRule kRule{{
    .identifier = "S3_BUCKET_SSL_REQUESTS_ONLY",
    .resource_types = {"AWS::S3::Bucket"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
