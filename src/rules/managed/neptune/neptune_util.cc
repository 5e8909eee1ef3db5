#include "rules/managed/neptune/neptune_util.h"

#include <optional>

#include "rules/managed/rds/rds_util.h"

namespace vigil::rules::neptune {

Verdict EvaluateClusterSnapshotPublic(const model::ConfigurationItem& snapshot,
                                      std::string_view engine, std::string_view service) {
  if (auto other = rds::RequireEngine(snapshot, engine, service)) return *other;
  const std::optional<bool> is_public = rds::SnapshotIsPublic(snapshot);
  if (!is_public)
    return Verdict::MissingFact("AWS::RDS::DBClusterSnapshot",
                                "the configuration item has no DBClusterSnapshotAttributes");
  if (*is_public)
    return Verdict::NonCompliant("the cluster snapshot is public (restore attribute lists 'all')");
  return Verdict::Compliant();
}

}  // namespace vigil::rules::neptune
