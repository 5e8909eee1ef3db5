// EFS_ENCRYPTED_CHECK (efs-encrypted-check): EFS file systems must encrypt file data with AWS
// KMS. AWS: NON_COMPLIANT if Encrypted is false on DescribeFileSystems, or if its KmsKeyId does
// not match the `KmsKeyId` parameter.
//
// Data: configuration.Encrypted and configuration.KmsKeyId of the AWS::EFS::FileSystem CI, which
// AWS Config records from the same DescribeFileSystems fields.
//
// Choices where AWS's page is silent:
// - A CI without Encrypted is an unencrypted file system (the API's default is false).
// - `KmsKeyId` may be a key ID or key ARN, matched with ec2::KmsKeyMatches as RDS and EBS rules
//   do: an ID matches the key part of an ARN, two ARNs must be equal, aliases match only
//   themselves.
#include <string>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& fs) {
  const json::Value config = fs.Config();
  json::Value encrypted = config.Get("Encrypted");
  if (encrypted.Missing()) encrypted = config.Get("encrypted");
  if (!encrypted.Bool().value_or(false))
    return Verdict::NonCompliant("the file system is not encrypted");
  if (auto wanted = ctx.Param("KmsKeyId"); wanted && !Trim(*wanted).empty()) {
    std::string_view actual = config.Get("KmsKeyId").String().value_or("");
    if (actual.empty()) actual = config.Get("kmsKeyId").String().value_or("");
    if (!ec2::KmsKeyMatches(*wanted, actual))
      return Verdict::NonCompliant(TruncateUtf8("the file system is encrypted with KMS key '" +
                                                    std::string(actual) + "', not '" +
                                                    std::string(Trim(*wanted)) + "'",
                                                256));
  }
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "EFS_ENCRYPTED_CHECK",
    .resource_types = {"AWS::EFS::FileSystem"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "KmsKeyId", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
