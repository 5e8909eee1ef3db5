// RDS_SNAPSHOTS_PUBLIC_PROHIBITED (rds-snapshots-public-prohibited): an RDS DB snapshot or DB
// cluster snapshot is NON_COMPLIANT when it is public, that is when its "restore" attribute lists
// "all" (anyone may copy or restore it).
//
// Data: supplementaryConfiguration.DBSnapshotAttributes (AWS::RDS::DBSnapshot) or
// DBClusterSnapshotAttributes (AWS::RDS::DBClusterSnapshot): a list of {"attributeName":
// "restore", "attributeValues": [account IDs or "all"]}, as AWS Config records it.
//
// Choices where AWS's page is silent:
// - Either attribute key is read for either type; attribute names and "all" compare
//   case-insensitively.
// - A snapshot shared only with named accounts is COMPLIANT (it is not public).
// - A CI without the snapshot attributes gives no verdict: MissingFact.
#include <string>

#include "rules/managed/rds/rds_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& snapshot) {
  const std::optional<bool> is_public = rds::SnapshotIsPublic(snapshot);
  if (!is_public)
    return Verdict::MissingFact(std::string(snapshot.resource_type),
                                "the configuration item has no snapshot attributes "
                                "(DBSnapshotAttributes / DBClusterSnapshotAttributes)");
  if (*is_public)
    return Verdict::NonCompliant("the snapshot is public (restore attribute includes 'all')");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "RDS_SNAPSHOTS_PUBLIC_PROHIBITED",
    .resource_types = {"AWS::RDS::DBClusterSnapshot", "AWS::RDS::DBSnapshot"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
