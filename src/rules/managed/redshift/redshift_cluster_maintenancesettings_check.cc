// REDSHIFT_CLUSTER_MAINTENANCESETTINGS_CHECK (redshift-cluster-maintenancesettings-check): Redshift
// clusters must have the specified maintenance settings: version upgrades allowed
// (`allowVersionUpgrade`), the maintenance window `preferredMaintenanceWindow`, and automated
// snapshots kept `automatedSnapshotRetentionPeriod` days. AWS: NON_COMPLIANT if automatic upgrades
// to major versions are disabled.
//
// Read from the AWS::Redshift::Cluster CI: `configuration.allowVersionUpgrade`,
// `configuration.preferredMaintenanceWindow`, `configuration.automatedSnapshotRetentionPeriod`.
//
// Choices where AWS's page is silent:
// - `allowVersionUpgrade` false means "not checked", not "upgrades must be disallowed".
// - `automatedSnapshotRetentionPeriod` (default 1) is a minimum: a cluster keeping snapshots
//   longer is COMPLIANT. (Packs omit it; an exact match would fail every cluster not keeping
//   exactly 1 day.)
// - `preferredMaintenanceWindow` is checked only when given, and compared ignoring case and
//   surrounding spaces (Redshift records "tue:10:00-tue:10:30"; AWS's example is
//   "Mon:09:30-Mon:10:00").
// - Values pending in `pendingModifiedValues` are ignored. A CI without `allowVersionUpgrade` is
//   treated as upgrades disallowed, one without `automatedSnapshotRetentionPeriod` as 0 days.
// - Every failed setting is named in the annotation.
#include <string>

#include "common/strings.h"
#include "rules/managed/redshift/redshift_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& cluster) {
  const json::Value config = cluster.Config();
  redshift::SettingProblems problems;
  if (redshift::RequiredButOff(ctx, "allowVersionUpgrade", config.Get("allowVersionUpgrade")))
    problems.Add("version upgrades are not allowed");
  if (auto window = ctx.Param("preferredMaintenanceWindow"); window && !Trim(*window).empty()) {
    const std::string_view actual = config.Get("preferredMaintenanceWindow").String().value_or("");
    if (ToLower(Trim(actual)) != ToLower(Trim(*window)))
      problems.Add("maintenance window is '" + std::string(actual) + "', not '" +
                   std::string(Trim(*window)) + "'");
  }
  if (auto min_days = ctx.IntParam("automatedSnapshotRetentionPeriod")) {
    const std::int64_t days = config.Get("automatedSnapshotRetentionPeriod").Int().value_or(0);
    if (days < *min_days)
      problems.Add("automated snapshots are kept " + std::to_string(days) + " day(s), fewer than " +
                   std::to_string(*min_days));
  }
  return problems.ToVerdict();
}

const ManagedRule kRule{{
    .identifier = "REDSHIFT_CLUSTER_MAINTENANCESETTINGS_CHECK",
    .resource_types = {"AWS::Redshift::Cluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "allowVersionUpgrade",
                    .type = ParamType::kBoolean,
                    .default_value = "true",
                    .optional = false},
                   {.name = "preferredMaintenanceWindow",
                    .type = ParamType::kString,
                    .optional = true},
                   {.name = "automatedSnapshotRetentionPeriod",
                    .type = ParamType::kInt,
                    .default_value = "1",
                    .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
