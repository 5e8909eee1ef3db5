// DOCDB_CLUSTER_SNAPSHOT_PUBLIC_PROHIBITED (docdb-cluster-snapshot-public-prohibited): Amazon
// DocumentDB manual cluster snapshots must not be public: NON_COMPLIANT when a DocumentDB cluster
// snapshot is public, that is when its "restore" attribute lists "all".
//
// Data: AWS Config records DocumentDB cluster snapshots as AWS::RDS::DBClusterSnapshot items with
// configuration.engine "docdb" and supplementaryConfiguration.DBClusterSnapshotAttributes;
// snapshots of other engines are NOT_APPLICABLE. The test is rds::SnapshotIsPublic (rds_util.h),
// through neptune::EvaluateClusterSnapshotPublic (neptune_util.h).
//
// Choices where AWS's page is silent:
// - Every snapshot type is evaluated (only manual ones can be shared, so automated ones are
//   COMPLIANT).
// - A snapshot shared with named accounts only is COMPLIANT.
// - A CI without engine or without the snapshot attributes gives no verdict: MissingFact.
#include "rules/managed/neptune/neptune_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& snapshot) {
  return neptune::EvaluateClusterSnapshotPublic(snapshot, "docdb", "DocumentDB");
}

const ManagedRule kRule{{
    .identifier = "DOCDB_CLUSTER_SNAPSHOT_PUBLIC_PROHIBITED",
    .resource_types = {"AWS::RDS::DBClusterSnapshot"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
