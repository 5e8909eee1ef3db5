// S3_DEFAULT_ENCRYPTION_KMS (s3-default-encryption-kms): the bucket's default encryption must use
// an AWS KMS key; with kmsKeyArns, one of the listed keys.
//
// Data: supplementaryConfiguration.ServerSideEncryptionConfiguration
// ({"rules":[{"applyServerSideEncryptionByDefault":{"sseAlgorithm":..., "kmsMasterKeyID":...}}]}),
// which AWS Config omits when the bucket has no default-encryption configuration.
//
// Choices where AWS's page is silent:
// - DSSE-KMS ("aws:kms:dsse") encrypts with a KMS key and counts as KMS encryption, like
//   "aws:kms". SSE-S3 ("AES256") and no configuration are NON_COMPLIANT.
// - With kmsKeyArns, the bucket's kmsMasterKeyID must name one of them: ARNs compare exactly, a
//   bare key ID matches the key part of a listed ARN (ec2::KmsKeyMatches); an alias never matches
//   a key ARN, and a bucket using the AWS managed key (kmsMasterKeyID null) matches no ARN.
// - The rule's scope also names AWS::KMS::Key; keys themselves are NOT_APPLICABLE (AWS documents
//   no check of keys; the scope only lets key changes trigger the rule).
#include <string>

#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  if (item.resource_type != "AWS::S3::Bucket")
    return Verdict::NotApplicable("only S3 buckets are evaluated");
  const auto allowed = ctx.CsvParam("kmsKeyArns");
  std::string seen;  // the algorithm or key that failed, for the annotation
  for (json::Value rule :
       item.Supplementary("ServerSideEncryptionConfiguration").Get("rules").Elements()) {
    const json::Value by_default = rule.Get("applyServerSideEncryptionByDefault");
    const std::string_view algorithm = by_default.Get("sseAlgorithm").String().value_or("");
    if (algorithm != "aws:kms" && algorithm != "aws:kms:dsse") {
      if (seen.empty() && !algorithm.empty())
        seen = "default encryption is " + std::string(algorithm);
      continue;
    }
    if (allowed.empty()) return Verdict::Compliant();
    const std::string_view key = by_default.Get("kmsMasterKeyID").String().value_or("");
    for (std::string_view want : allowed)
      if (ec2::KmsKeyMatches(want, key)) return Verdict::Compliant();
    seen = key.empty() ? std::string("encrypted with the AWS managed key, not one of kmsKeyArns")
                       : "encrypted with KMS key '" + std::string(key) + "', not one of kmsKeyArns";
  }
  if (seen.empty()) return Verdict::NonCompliant("no default encryption with an AWS KMS key");
  return Verdict::NonCompliant(seen);
}

const ManagedRule kRule{{
    .identifier = "S3_DEFAULT_ENCRYPTION_KMS",
    .resource_types = {"AWS::S3::Bucket", "AWS::KMS::Key"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "kmsKeyArns", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
