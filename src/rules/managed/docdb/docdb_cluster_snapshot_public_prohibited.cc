// DOCDB_CLUSTER_SNAPSHOT_PUBLIC_PROHIBITED (docdb-cluster-snapshot-public-prohibited): Amazon
// DocumentDB manual cluster snapshots must not be public: NON_COMPLIANT when a DocumentDB cluster
// snapshot is public, that is when its "restore" attribute lists "all".
//
// Data: AWS Config records DocumentDB cluster snapshots as AWS::RDS::DBClusterSnapshot items with
// configuration.engine "docdb" and supplementaryConfiguration.DBClusterSnapshotAttributes;
// snapshots of other engines are NOT_APPLICABLE. The test is rds::SnapshotIsPublic (rds_util.h).
//
// Choices where AWS's page is silent:
// - Every snapshot type is evaluated (only manual ones can be shared, so automated ones are
//   COMPLIANT).
// - A snapshot shared with named accounts only is COMPLIANT.
// - A CI without engine or without the snapshot attributes gives no verdict: MissingFact.
#include "rules/managed/rds/rds_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& snapshot) {
  if (auto other = rds::RequireEngine(snapshot, "docdb", "DocumentDB")) return *other;
  const std::optional<bool> is_public = rds::SnapshotIsPublic(snapshot);
  if (!is_public)
    return Verdict::MissingFact("AWS::RDS::DBClusterSnapshot",
                                "the configuration item has no DBClusterSnapshotAttributes");
  if (*is_public)
    return Verdict::NonCompliant("the cluster snapshot is public (restore attribute lists 'all')");
  return Verdict::Compliant();
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
