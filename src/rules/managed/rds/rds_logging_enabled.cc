// RDS_LOGGING_ENABLED (rds-logging-enabled): an RDS DB instance must export each of its engine's
// log types to CloudWatch Logs (configuration.enabledCloudwatchLogsExports). The log types, as
// AWS lists them for this rule (Security Hub RDS.9):
//   Oracle: alert, audit, trace, listener        PostgreSQL: postgresql, upgrade
//   MySQL, MariaDB: audit, error, general, slowquery      SQL Server: error, agent
//   Aurora MySQL: audit, error, general, slowquery        Aurora PostgreSQL: postgresql
// additionalLogs adds log types per engine ("oracle: general, slowquery ; aurora: alert").
// Instances whose dBInstanceStatus is not available, backing-up, storage-optimization or
// storage-full are NOT_APPLICABLE, as AWS documents.
//
// Choices where AWS's page is silent:
// - Engines map to the list by family: "oracle-*" is Oracle, "sqlserver-*" is SQL Server,
//   "aurora" (Aurora MySQL 1) and "aurora-mysql" are Aurora MySQL. Engines outside the list
//   (db2-*, custom-*, docdb, neptune, ...) are NOT_APPLICABLE.
// - An additionalLogs key applies to an engine equal to it or starting with "<key>-" ("oracle"
//   covers oracle-ee, "aurora" covers aurora-mysql and aurora-postgresql). Keys, log types and
//   exports compare case-insensitively.
// - enabledCloudwatchLogsExports absent means no log is exported. A CI without dBInstanceStatus
//   or engine gives no verdict: MissingFact.
#include <algorithm>
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

std::vector<std::string> ExpectedLogs(const std::string& engine, bool* covered) {
  *covered = true;
  if (engine == "mysql" || engine == "mariadb" || engine == "aurora" || engine == "aurora-mysql")
    return {"audit", "error", "general", "slowquery"};
  if (engine == "postgres") return {"postgresql", "upgrade"};
  if (engine == "aurora-postgresql") return {"postgresql"};
  if (StartsWith(engine, "oracle-")) return {"alert", "audit", "trace", "listener"};
  if (StartsWith(engine, "sqlserver-")) return {"error", "agent"};
  *covered = false;
  return {};
}

// The log types additionalLogs adds for `engine`.
std::vector<std::string> AdditionalLogs(std::string_view param, const std::string& engine) {
  std::vector<std::string> out;
  for (std::string_view entry : Split(param, ';')) {
    const size_t colon = entry.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string key = ToLower(Trim(entry.substr(0, colon)));
    if (key.empty() || (engine != key && !StartsWith(engine, key + "-"))) continue;
    for (std::string_view log : Split(entry.substr(colon + 1), ','))
      if (!Trim(log).empty()) out.push_back(ToLower(Trim(log)));
  }
  return out;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& db) {
  const json::Value config = db.Config();
  const std::optional<std::string_view> status = config.Get("dBInstanceStatus").String();
  const std::optional<std::string_view> engine_text = config.Get("engine").String();
  if (!status || !engine_text)
    return Verdict::MissingFact("AWS::RDS::DBInstance",
                                "the configuration item does not record dBInstanceStatus and "
                                "engine");
  if (*status != "available" && *status != "backing-up" && *status != "storage-optimization" &&
      *status != "storage-full")
    return Verdict::NotApplicable("the DB instance is '" + std::string(*status) + "'");
  const std::string engine = ToLower(*engine_text);
  bool covered = false;
  std::vector<std::string> expected = ExpectedLogs(engine, &covered);
  if (!covered)
    return Verdict::NotApplicable("engine '" + std::string(*engine_text) + "' is not covered");
  for (std::string& log : AdditionalLogs(ctx.Param("additionalLogs").value_or(""), engine))
    if (std::find(expected.begin(), expected.end(), log) == expected.end())
      expected.push_back(std::move(log));

  std::vector<std::string> exported;
  for (json::Value v : config.Get("enabledCloudwatchLogsExports").Elements())
    exported.push_back(ToLower(v.String().value_or("")));
  std::string missing;
  for (const std::string& log : expected)
    if (std::find(exported.begin(), exported.end(), log) == exported.end())
      missing += (missing.empty() ? "" : ", ") + log;
  if (!missing.empty())
    return Verdict::NonCompliant(
        TruncateUtf8("log types not exported to CloudWatch Logs: " + missing, 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "RDS_LOGGING_ENABLED",
    .resource_types = {"AWS::RDS::DBInstance"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "additionalLogs", .type = ParamType::kStringMap, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
