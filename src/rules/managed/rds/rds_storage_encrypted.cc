// RDS_STORAGE_ENCRYPTED (rds-storage-encrypted): RDS DB instances must have storage encryption
// enabled, optionally with the KMS key named by `kmsKeyId`.
//
// Choices where AWS's page is silent:
// - A CI without `storageEncrypted` is treated as unencrypted.
// - `kmsKeyId` may be a key ID or a key ARN, compared with the instance's `kmsKeyId` (an ARN in
//   CIs) as ENCRYPTED_VOLUMES does (ec2::KmsKeyMatches): an ID matches the ARN's key part, an
//   ARN must match exactly, aliases never match a key.
#include <string>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& db) {
  const json::Value config = db.Config();
  if (!config.Get("storageEncrypted").Bool().value_or(false))
    return Verdict::NonCompliant("storage encryption is not enabled");
  if (auto wanted = ctx.Param("kmsKeyId"); wanted && !Trim(*wanted).empty()) {
    const std::string_view actual = config.Get("kmsKeyId").String().value_or("");
    if (!ec2::KmsKeyMatches(*wanted, actual))
      return Verdict::NonCompliant("storage is encrypted with KMS key '" + std::string(actual) +
                                   "', not '" + std::string(*wanted) + "'");
  }
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "RDS_STORAGE_ENCRYPTED",
    .resource_types = {"AWS::RDS::DBInstance"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "kmsKeyId", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
