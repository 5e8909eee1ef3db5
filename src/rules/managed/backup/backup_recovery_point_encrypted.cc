// BACKUP_RECOVERY_POINT_ENCRYPTED (backup-recovery-point-encrypted): an AWS Backup recovery point
// is NON_COMPLIANT when it is not encrypted (configuration.IsEncrypted false), COMPLIANT when it
// is.
//
// Choices where AWS's page is silent:
// - A CI that does not record IsEncrypted gives no verdict: MissingFact.
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& point) {
  const std::optional<bool> encrypted = point.Config().Get("IsEncrypted").Bool();
  if (!encrypted)
    return Verdict::MissingFact("AWS::Backup::RecoveryPoint",
                                "the configuration item does not record IsEncrypted");
  if (!*encrypted) return Verdict::NonCompliant("the recovery point is not encrypted");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "BACKUP_RECOVERY_POINT_ENCRYPTED",
    .resource_types = {"AWS::Backup::RecoveryPoint"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
