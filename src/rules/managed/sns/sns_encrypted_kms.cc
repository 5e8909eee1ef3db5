// SNS_ENCRYPTED_KMS (sns-encrypted-kms): SNS topics must be encrypted with AWS KMS. AWS:
// NON_COMPLIANT if the topic is not encrypted with AWS KMS, or if its key is not in the
// `kmsKeyIds` parameter (KMS key ARNs allowed for encrypting the topic).
//
// Data: configuration.KmsMasterKeyId of the AWS::SNS::Topic CI (absent when the topic is not
// encrypted).
//
// Choices where AWS's page is silent:
// - Any KmsMasterKeyId counts as KMS encryption, including the AWS managed key alias/aws/sns.
// - With `kmsKeyIds`, keys match as in ec2::KmsKeyMatches: equal ARNs, a bare key ID equal to an
//   ARN's key part, or identical alias strings (a topic set to "alias/x" matches only "alias/x";
//   vigil cannot resolve aliases to keys).
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& topic) {
  std::string_view key = topic.Config().Get("KmsMasterKeyId").String().value_or("");
  if (key.empty()) key = topic.Config().Get("kmsMasterKeyId").String().value_or("");
  key = Trim(key);
  if (key.empty()) return Verdict::NonCompliant("the topic is not encrypted with AWS KMS");
  const std::vector<std::string_view> allowed = ctx.CsvParam("kmsKeyIds");
  if (allowed.empty()) return Verdict::Compliant();
  for (std::string_view a : allowed)
    if (ec2::KmsKeyMatches(a, key)) return Verdict::Compliant();
  return Verdict::NonCompliant(TruncateUtf8(
      "the topic is encrypted with KMS key " + std::string(key) + ", which is not in kmsKeyIds",
      256));
}

const ManagedRule kRule{{
    .identifier = "SNS_ENCRYPTED_KMS",
    .resource_types = {"AWS::SNS::Topic"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "kmsKeyIds", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
