// Logic shared by the Neptune rules and their DocumentDB twins. AWS Config records Neptune and
// DocumentDB clusters and cluster snapshots as AWS::RDS::DBCluster / AWS::RDS::DBClusterSnapshot
// items told apart by configuration.engine ("neptune", "docdb"); the engine and snapshot readers
// are rds_util's.
#pragma once

#include <string_view>

#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::rules::neptune {

// The whole of NEPTUNE_CLUSTER_SNAPSHOT_PUBLIC_PROHIBITED /
// DOCDB_CLUSTER_SNAPSHOT_PUBLIC_PROHIBITED for a cluster snapshot: as rds::RequireEngine for a
// snapshot not of `engine` ("neptune", "docdb"; `service` names it in annotations); NON_COMPLIANT
// when rds::SnapshotIsPublic (its "restore" attribute lists "all"), COMPLIANT when not (shared with
// named accounts only, or not shared); MissingFact when the CI records no
// DBClusterSnapshotAttributes.
Verdict EvaluateClusterSnapshotPublic(const model::ConfigurationItem& snapshot,
                                      std::string_view engine, std::string_view service);

}  // namespace vigil::rules::neptune
