// NEPTUNE_CLUSTER_BACKUP_RETENTION_CHECK (neptune-cluster-backup-retention-check): an Amazon
// Neptune DB cluster must keep backups at least minimumBackupRetentionPeriod days (AWS: valid
// values 1 to 35, default 7): NON_COMPLIANT when the parameter is greater than the cluster's
// configuration.backupRetentionPeriod, COMPLIANT when it is less than or equal to it.
//
// Data: AWS Config records Neptune clusters as AWS::RDS::DBCluster items with configuration.engine
// "neptune"; clusters of other engines are NOT_APPLICABLE.
//
// Choices where AWS's page is silent:
// - The documented default, 7, applies when the parameter is omitted (the catalogue declares no
//   default, so it is applied here); a given value is used as is, even outside 1..35.
// - A CI without engine or backupRetentionPeriod gives no verdict: MissingFact.
#include <string>

#include "rules/managed/rds/rds_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& cluster) {
  if (auto other = rds::RequireEngine(cluster, "neptune", "Neptune")) return *other;
  const std::optional<std::int64_t> retention = cluster.Config().Get("backupRetentionPeriod").Int();
  if (!retention)
    return Verdict::MissingFact("AWS::RDS::DBCluster",
                                "the configuration item does not record backupRetentionPeriod");
  const std::int64_t minimum = ctx.IntParam("minimumBackupRetentionPeriod").value_or(7);
  if (minimum > *retention)
    return Verdict::NonCompliant("backup retention is " + std::to_string(*retention) +
                                 " days, less than " + std::to_string(minimum));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "NEPTUNE_CLUSTER_BACKUP_RETENTION_CHECK",
    .resource_types = {"AWS::RDS::DBCluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "minimumBackupRetentionPeriod",
                    .type = ParamType::kInt,
                    .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
