// REDSHIFT_BACKUP_ENABLED (redshift-backup-enabled): Amazon Redshift automated snapshots must be
// enabled: NON_COMPLIANT when configuration.automatedSnapshotRetentionPeriod is 0, greater than
// MaxRetentionPeriod or less than MinRetentionPeriod (both optional; AWS documents 1 and 35 as
// their least and greatest values).
//
// Data: the AWS::Redshift::Cluster CI (automatedSnapshotRetentionPeriod).
//
// Choices where AWS's page is silent:
// - The bounds are inclusive (a retention equal to a bound is COMPLIANT) and are used as given,
//   even outside 1..35.
// - A CI without automatedSnapshotRetentionPeriod gives no verdict: MissingFact.
#include <string>

#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& cluster) {
  const std::optional<std::int64_t> retention =
      cluster.Config().Get("automatedSnapshotRetentionPeriod").Int();
  if (!retention)
    return Verdict::MissingFact(
        "AWS::Redshift::Cluster",
        "the configuration item does not record automatedSnapshotRetentionPeriod");
  if (*retention <= 0)
    return Verdict::NonCompliant("automated snapshots are disabled (retention period 0)");
  const std::string have = std::to_string(*retention);
  if (auto min = ctx.IntParam("MinRetentionPeriod"); min && *retention < *min)
    return Verdict::NonCompliant("automated snapshot retention is " + have +
                                 " days, less than MinRetentionPeriod " + std::to_string(*min));
  if (auto max = ctx.IntParam("MaxRetentionPeriod"); max && *retention > *max)
    return Verdict::NonCompliant("automated snapshot retention is " + have +
                                 " days, more than MaxRetentionPeriod " + std::to_string(*max));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "REDSHIFT_BACKUP_ENABLED",
    .resource_types = {"AWS::Redshift::Cluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "MinRetentionPeriod", .type = ParamType::kInt, .optional = true},
                   {.name = "MaxRetentionPeriod", .type = ParamType::kInt, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
