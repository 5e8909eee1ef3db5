// RDS_CLUSTER_IAM_AUTHENTICATION_ENABLED (rds-cluster-iam-authentication-enabled): an RDS DB
// cluster must have IAM database authentication enabled: COMPLIANT when configuration.
// iamdatabaseAuthenticationEnabled (AWS Config's spelling for DB clusters) is true,
// NON_COMPLIANT otherwise.
//
// Data: the AWS::RDS::DBCluster CI.
//
// Choices where AWS's page is silent:
// - Every engine is evaluated, as the page names none: Neptune and DocumentDB clusters, which AWS
//   Config records as AWS::RDS::DBCluster too, are NON_COMPLIANT when the recorded flag is false.
// - A CI without iamdatabaseAuthenticationEnabled gives no verdict: MissingFact.
#include "rules/managed/rds/rds_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& cluster) {
  return rds::RequireSetting(cluster, "iamdatabaseAuthenticationEnabled", true,
                             "IAM database authentication is not enabled");
}

const ManagedRule kRule{{
    .identifier = "RDS_CLUSTER_IAM_AUTHENTICATION_ENABLED",
    .resource_types = {"AWS::RDS::DBCluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
