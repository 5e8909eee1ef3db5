// DB_INSTANCE_BACKUP_ENABLED (db-instance-backup-enabled): an RDS DB instance must have automated
// backups enabled (configuration.backupRetentionPeriod greater than 0). Optionally the rule also
// checks the retention period (backupRetentionPeriod: equal to it; backupRetentionMinimum: at
// least it) and the backup window (preferredBackupWindow: equal to it); read replicas are
// checked only with checkReadReplicas.
//
// Data: the AWS::RDS::DBInstance CI (backupRetentionPeriod, preferredBackupWindow,
// readReplicaSourceDBInstanceIdentifier).
//
// Choices where AWS's page is silent:
// - A read replica (readReplicaSourceDBInstanceIdentifier set) is NOT_APPLICABLE unless
//   checkReadReplicas is true; then it is checked like any instance.
// - backupRetentionPeriod (the parameter) requires the exact value; backupRetentionMinimum a value
//   at least as large. Both may be given; every failed check is named in the annotation.
// - preferredBackupWindow ("hh24:mi-hh24:mi") compares with the recorded window ignoring case and
//   surrounding blanks.
// - A CI without backupRetentionPeriod gives no verdict: MissingFact.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& db) {
  const json::Value config = db.Config();
  if (!config.Get("readReplicaSourceDBInstanceIdentifier").Empty() &&
      !ctx.BoolParam("checkReadReplicas").value_or(false))
    return Verdict::NotApplicable("read replica, and checkReadReplicas is not true");
  const std::optional<std::int64_t> retention = config.Get("backupRetentionPeriod").Int();
  if (!retention)
    return Verdict::MissingFact("AWS::RDS::DBInstance",
                                "the configuration item does not record backupRetentionPeriod");
  if (*retention <= 0) return Verdict::NonCompliant("automated backups are disabled (retention 0)");
  std::string problems;
  auto add = [&problems](const std::string& p) { problems += (problems.empty() ? "" : "; ") + p; };
  const std::string have = std::to_string(*retention);
  if (auto want = ctx.IntParam("backupRetentionPeriod"); want && *retention != *want)
    add("backup retention is " + have + " days, not " + std::to_string(*want));
  if (auto min = ctx.IntParam("backupRetentionMinimum"); min && *retention < *min)
    add("backup retention is " + have + " days, less than " + std::to_string(*min));
  if (auto window = ctx.Param("preferredBackupWindow"); window && !Trim(*window).empty()) {
    const std::string_view actual = config.Get("preferredBackupWindow").String().value_or("");
    if (ToLower(Trim(actual)) != ToLower(Trim(*window)))
      add("backup window is '" + std::string(actual) + "', not '" + std::string(Trim(*window)) +
          "'");
  }
  if (!problems.empty()) return Verdict::NonCompliant(TruncateUtf8(problems, 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "DB_INSTANCE_BACKUP_ENABLED",
    .resource_types = {"AWS::RDS::DBInstance"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "backupRetentionMinimum", .type = ParamType::kInt, .optional = true},
                   {.name = "backupRetentionPeriod", .type = ParamType::kInt, .optional = true},
                   {.name = "checkReadReplicas", .type = ParamType::kBoolean, .optional = true},
                   {.name = "preferredBackupWindow", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
