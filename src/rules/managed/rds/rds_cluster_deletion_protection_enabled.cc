// RDS_CLUSTER_DELETION_PROTECTION_ENABLED (rds-cluster-deletion-protection-enabled): an RDS DB
// cluster must have deletion protection enabled: NON_COMPLIANT when configuration.
// deletionProtection is false.
//
// Data: the AWS::RDS::DBCluster CI (deletionProtection).
//
// Choices where AWS's page is silent:
// - Every engine is evaluated: the page names none, and AWS Config records Neptune and DocumentDB
//   clusters (engines "neptune" and "docdb", which also have deletion protection) as
//   AWS::RDS::DBCluster items too.
// - A CI without deletionProtection gives no verdict: MissingFact.
#include "rules/managed/rds/rds_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& cluster) {
  return rds::RequireSetting(cluster, "deletionProtection", true,
                             "deletion protection is disabled");
}

const ManagedRule kRule{{
    .identifier = "RDS_CLUSTER_DELETION_PROTECTION_ENABLED",
    .resource_types = {"AWS::RDS::DBCluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
