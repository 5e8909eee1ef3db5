// S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED: default encryption, or a policy that denies
// unencrypted uploads.
#include <string>

#include "common/strings.h"
#include "rules/managed/s3/s3_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

// AWS documents that a policy with more than five policy variables in one value cannot be
// evaluated and makes the rule NON_COMPLIANT "even if the policy would otherwise be compliant";
// vigil applies that before looking at default encryption too, since the note would otherwise
// have no effect (S3 has encrypted every bucket by default since January 2023).
constexpr int kMaxPolicyVariables = 5;

bool DefaultEncryptionOn(const model::ConfigurationItem& bucket) {
  const json::Value sse = bucket.Supplementary("ServerSideEncryptionConfiguration");
  for (json::Value rule : sse.Get("rules").Elements()) {
    const auto algorithm =
        rule.Get("applyServerSideEncryptionByDefault").Get("sseAlgorithm").String();
    if (algorithm &&
        (*algorithm == "AES256" || *algorithm == "aws:kms" || *algorithm == "aws:kms:dsse"))
      return true;
  }
  return false;
}

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& bucket) {
  const json::Value policy = bucket.Supplementary("BucketPolicy");
  if (const int n = s3::MaxPolicyVariablesInOneValue(policy); n > kMaxPolicyVariables)
    return Verdict::NonCompliant("bucket policy has a value with " + std::to_string(n) +
                                 " policy variables (more than 5); AWS cannot evaluate it");
  if (DefaultEncryptionOn(bucket)) return Verdict::Compliant();
  if (s3::PolicyRequiresEncryptedPuts(policy, s3::BucketName(bucket)))
    return Verdict::Compliant("bucket policy denies s3:PutObject without server-side encryption");
  return Verdict::NonCompliant(
      "no default encryption and the bucket policy does not deny unencrypted s3:PutObject");
}

const ManagedRule kRule{{
    .identifier = "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED",
    .resource_types = {"AWS::S3::Bucket"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
