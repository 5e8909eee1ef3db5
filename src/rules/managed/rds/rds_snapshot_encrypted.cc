// RDS_SNAPSHOT_ENCRYPTED (rds-snapshot-encrypted): RDS DB snapshots and DB cluster snapshots must
// be encrypted.
//
// Data: configuration.encrypted (AWS::RDS::DBSnapshot) or configuration.storageEncrypted
// (AWS::RDS::DBClusterSnapshot), as AWS Config records them.
//
// Choices where AWS's page is silent:
// - Either flag is read for either type (the two APIs name it differently).
// - A CI that records neither flag gives no verdict: MissingFact.
#include <optional>
#include <string>

#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& snapshot) {
  const json::Value config = snapshot.Config();
  std::optional<bool> encrypted = config.Get("encrypted").Bool();
  if (!encrypted) encrypted = config.Get("storageEncrypted").Bool();
  if (!encrypted)
    return Verdict::MissingFact(std::string(snapshot.resource_type),
                                "the configuration item does not record whether the snapshot "
                                "is encrypted");
  if (!*encrypted) return Verdict::NonCompliant("the snapshot is not encrypted");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "RDS_SNAPSHOT_ENCRYPTED",
    .resource_types = {"AWS::RDS::DBClusterSnapshot", "AWS::RDS::DBSnapshot"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
