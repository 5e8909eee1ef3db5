// RDS_CLUSTER_MULTI_AZ_ENABLED (rds-cluster-multi-az-enabled): Multi-AZ must be enabled on Amazon
// Aurora clusters and Multi-AZ DB clusters managed by RDS: NON_COMPLIANT when the cluster's
// configuration.multiAZ is false.
//
// Data: the AWS::RDS::DBCluster CI (engine, multiAZ).
//
// Choices where AWS's page is silent:
// - The page covers "Aurora and Multi-AZ DB clusters managed by Amazon RDS": clusters whose engine
//   is aurora, aurora-mysql, aurora-postgresql, mysql or postgres are evaluated. Neptune
//   ("neptune") and DocumentDB ("docdb") clusters, which AWS Config also records as
//   AWS::RDS::DBCluster, and any other engine are NOT_APPLICABLE.
// - A CI without engine or multiAZ gives no verdict: MissingFact.
#include <string>

#include "rules/managed/rds/rds_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& cluster) {
  const std::string engine = rds::Engine(cluster);
  if (engine.empty())
    return Verdict::MissingFact("AWS::RDS::DBCluster",
                                "the configuration item does not record the engine");
  if (engine != "aurora" && engine != "aurora-mysql" && engine != "aurora-postgresql" &&
      engine != "mysql" && engine != "postgres")
    return Verdict::NotApplicable("engine '" + engine +
                                  "' is neither Aurora nor a Multi-AZ DB cluster engine");
  return rds::RequireSetting(cluster, "multiAZ", true,
                             "the DB cluster is not Multi-AZ (multiAZ is false)");
}

const ManagedRule kRule{{
    .identifier = "RDS_CLUSTER_MULTI_AZ_ENABLED",
    .resource_types = {"AWS::RDS::DBCluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
