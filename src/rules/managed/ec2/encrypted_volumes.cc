// ENCRYPTED_VOLUMES (encrypted-volumes): attached EBS volumes must be encrypted, optionally with
// the KMS key named by `kmsId`.
//
// Choices where AWS's page is silent:
// - A volume with no `attachments` is NOT_APPLICABLE (AWS checks "attached" volumes only).
// - A volume whose CI lacks `encrypted` is treated as unencrypted.
// - `kmsId` may be a key ID or a key ARN; it is compared with the volume's `kmsKeyId` (an ARN in
//   CIs) by ec2::KmsKeyMatches: an ID matches the ARN's key part, an ARN must match exactly.
//   Aliases cannot be resolved from a CI and never match a key.
#include <string>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& volume) {
  const json::Value config = volume.Config();
  if (config.Get("attachments").Empty())
    return Verdict::NotApplicable("volume is not attached to an instance");
  if (!config.Get("encrypted").Bool().value_or(false))
    return Verdict::NonCompliant("volume is not encrypted");
  if (auto wanted = ctx.Param("kmsId"); wanted && !Trim(*wanted).empty()) {
    const std::string_view actual = config.Get("kmsKeyId").String().value_or("");
    if (!ec2::KmsKeyMatches(*wanted, actual))
      return Verdict::NonCompliant("volume is encrypted with KMS key '" + std::string(actual) +
                                   "', not '" + std::string(*wanted) + "'");
  }
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "ENCRYPTED_VOLUMES",
    .resource_types = {"AWS::EC2::Volume"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "kmsId", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
