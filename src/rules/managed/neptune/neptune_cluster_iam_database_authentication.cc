// NEPTUNE_CLUSTER_IAM_DATABASE_AUTHENTICATION (neptune-cluster-iam-database-authentication): an
// Amazon Neptune cluster must have IAM database authentication enabled: NON_COMPLIANT when it
// does not (configuration.iamdatabaseAuthenticationEnabled false).
//
// Data: AWS Config records Neptune clusters as AWS::RDS::DBCluster items with configuration.engine
// "neptune"; clusters of other engines are NOT_APPLICABLE.
//
// Choices where AWS's page is silent:
// - A CI without engine or iamdatabaseAuthenticationEnabled gives no verdict: MissingFact.
#include "rules/managed/rds/rds_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& cluster) {
  if (auto other = rds::RequireEngine(cluster, "neptune", "Neptune")) return *other;
  const std::optional<bool> iam = cluster.Config().Get("iamdatabaseAuthenticationEnabled").Bool();
  if (!iam)
    return Verdict::MissingFact(
        "AWS::RDS::DBCluster",
        "the configuration item does not record iamdatabaseAuthenticationEnabled");
  if (!*iam) return Verdict::NonCompliant("IAM database authentication is not enabled");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "NEPTUNE_CLUSTER_IAM_DATABASE_AUTHENTICATION",
    .resource_types = {"AWS::RDS::DBCluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
