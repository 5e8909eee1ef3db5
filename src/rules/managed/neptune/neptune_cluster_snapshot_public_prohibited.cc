// NEPTUNE_CLUSTER_SNAPSHOT_PUBLIC_PROHIBITED (neptune-cluster-snapshot-public-prohibited): Amazon
// Neptune manual DB cluster snapshots must not be public: NON_COMPLIANT when a Neptune cluster
// snapshot is public, that is when its "restore" attribute lists "all".
//
// Data: AWS Config records Neptune cluster snapshots as AWS::RDS::DBClusterSnapshot items with
// configuration.engine "neptune" and supplementaryConfiguration.DBClusterSnapshotAttributes;
// snapshots of other engines are NOT_APPLICABLE. The test is rds::SnapshotIsPublic (rds_util.h),
// through neptune::EvaluateClusterSnapshotPublic (neptune_util.h).
//
// Choices where AWS's page is silent:
// - Every snapshot type is evaluated (only manual ones can be shared, so automated ones are
//   COMPLIANT).
// - A snapshot shared with named accounts only is COMPLIANT. Attributes AWS Config stored as a
//   JSON string are decoded.
// - A CI without engine or without the snapshot attributes gives no verdict: MissingFact.
#include "rules/managed/neptune/neptune_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& snapshot) {
  return neptune::EvaluateClusterSnapshotPublic(snapshot, "neptune", "Neptune");
}

const ManagedRule kRule{{
    .identifier = "NEPTUNE_CLUSTER_SNAPSHOT_PUBLIC_PROHIBITED",
    .resource_types = {"AWS::RDS::DBClusterSnapshot"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
