// NEPTUNE_CLUSTER_SNAPSHOT_ENCRYPTED (neptune-cluster-snapshot-encrypted): Amazon Neptune DB
// cluster snapshots must be encrypted: NON_COMPLIANT when a Neptune cluster snapshot is not
// (configuration.storageEncrypted false).
//
// Data: AWS Config records Neptune cluster snapshots as AWS::RDS::DBClusterSnapshot items with
// configuration.engine "neptune"; snapshots of other engines are NOT_APPLICABLE.
//
// Choices where AWS's page is silent:
// - Manual and automated snapshots are both evaluated.
// - A CI without storageEncrypted counts as unencrypted; one without engine gives no verdict:
//   MissingFact.
#include "rules/managed/rds/rds_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& snapshot) {
  if (auto other = rds::RequireEngine(snapshot, "neptune", "Neptune")) return *other;
  if (!snapshot.Config().Get("storageEncrypted").Bool().value_or(false))
    return Verdict::NonCompliant("the cluster snapshot is not encrypted");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "NEPTUNE_CLUSTER_SNAPSHOT_ENCRYPTED",
    .resource_types = {"AWS::RDS::DBClusterSnapshot"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
