// CLOUDWATCH_LOG_GROUP_ENCRYPTED (cloudwatch-log-group-encrypted): a CloudWatch Logs log group
// must be encrypted with a KMS key, and with the parameter KmsKeyId with that key: NON_COMPLIANT if
// the log group has no KMS key or another key.
//
// Data: the AWS::Logs::LogGroup CI's KMS key: configuration.kmsKeyId (DescribeLogGroups'
// spelling) or configuration.KmsKeyId (CloudFormation's); absent means not encrypted with a KMS
// key, as in AWS's original implementation (awslabs CLOUDWATCH_LOG_GROUP_ENCRYPTED).
//
// Choices where AWS's page is silent:
// - KmsKeyId is documented as a key ARN and AWS's implementation compares it with the log group's
//   key ARN exactly; vigil also accepts a bare key ID, matching the key part of the ARN
//   (ec2::KmsKeyMatches, as ENCRYPTED_VOLUMES does). Aliases never match a key.
#include <string>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& group) {
  const json::Value config = group.Config();
  std::string_view key = config.Get("kmsKeyId").String().value_or("");
  if (Trim(key).empty()) key = config.Get("KmsKeyId").String().value_or("");
  key = Trim(key);
  if (key.empty()) return Verdict::NonCompliant("log group is not encrypted with a KMS key");
  const std::string_view wanted = Trim(ctx.Param("KmsKeyId").value_or(""));
  if (!wanted.empty() && !ec2::KmsKeyMatches(wanted, key))
    return Verdict::NonCompliant(TruncateUtf8("log group is encrypted with KMS key '" +
                                                  std::string(key) + "', not '" +
                                                  std::string(wanted) + "'",
                                              256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "CLOUDWATCH_LOG_GROUP_ENCRYPTED",
    .resource_types = {"AWS::Logs::LogGroup"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "KmsKeyId", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
