// NEPTUNE_CLUSTER_CLOUDWATCH_LOG_EXPORT_ENABLED (neptune-cluster-cloudwatch-log-export-enabled): an
// Amazon Neptune cluster must export its audit logs to CloudWatch Logs: NON_COMPLIANT when
// configuration.enabledCloudwatchLogsExports does not list "audit".
//
// Data: AWS Config records Neptune clusters as AWS::RDS::DBCluster items with configuration.engine
// "neptune"; clusters of other engines are NOT_APPLICABLE.
//
// Choices where AWS's page is silent:
// - Log types compare ignoring case; other exported types ("slowquery") do not matter.
// - enabledCloudwatchLogsExports absent means no log is exported (AWS Config records [] then).
// - A CI without engine gives no verdict: MissingFact.
#include <string>

#include "common/strings.h"
#include "rules/managed/rds/rds_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& cluster) {
  if (auto other = rds::RequireEngine(cluster, "neptune", "Neptune")) return *other;
  for (json::Value log : cluster.Config().Get("enabledCloudwatchLogsExports").Elements())
    if (ToLower(Trim(log.String().value_or(""))) == "audit") return Verdict::Compliant();
  return Verdict::NonCompliant("audit logs are not exported to CloudWatch Logs");
}

const ManagedRule kRule{{
    .identifier = "NEPTUNE_CLUSTER_CLOUDWATCH_LOG_EXPORT_ENABLED",
    .resource_types = {"AWS::RDS::DBCluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
