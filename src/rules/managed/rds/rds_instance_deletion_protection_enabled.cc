// RDS_INSTANCE_DELETION_PROTECTION_ENABLED (rds-instance-deletion-protection-enabled): an RDS DB
// instance must have deletion protection enabled: NON_COMPLIANT when configuration.
// deletionProtection is false. databaseEngines (CSV, e.g. "mysql, postgres, mariadb") limits the
// evaluation to those engines; instances of other engines are NOT_APPLICABLE. AWS's page warns
// that DB instances within a cluster (Aurora/DocumentDB) show as not applicable, because deletion
// protection is set at the cluster level.
//
// Data: the AWS::RDS::DBInstance CI (engine, dBClusterIdentifier, deletionProtection).
//
// Choices where AWS's page is silent:
// - "Within a cluster" means the CI records a dBClusterIdentifier (Aurora, DocumentDB, Neptune and
//   Multi-AZ DB cluster members): NOT_APPLICABLE, whatever its engine.
// - databaseEngines entries compare with the engine exactly, ignoring case and blanks ("aurora"
//   does not cover "aurora-mysql").
// - A CI without deletionProtection (or without engine, when databaseEngines is given) gives no
//   verdict: MissingFact.
#include <algorithm>
#include <string>

#include "common/strings.h"
#include "rules/managed/rds/rds_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& db) {
  const json::Value config = db.Config();
  if (const auto engines = ctx.CsvParam("databaseEngines"); !engines.empty()) {
    const std::string engine = rds::Engine(db);
    if (engine.empty())
      return Verdict::MissingFact("AWS::RDS::DBInstance",
                                  "the configuration item does not record the engine");
    if (std::none_of(engines.begin(), engines.end(),
                     [&engine](std::string_view e) { return ToLower(Trim(e)) == engine; }))
      return Verdict::NotApplicable("engine '" + engine + "' is not listed in databaseEngines");
  }
  if (!Trim(config.Get("dBClusterIdentifier").String().value_or("")).empty())
    return Verdict::NotApplicable(
        "the instance belongs to a DB cluster; deletion protection is set on the cluster");
  const std::optional<bool> protection = config.Get("deletionProtection").Bool();
  if (!protection)
    return Verdict::MissingFact("AWS::RDS::DBInstance",
                                "the configuration item does not record deletionProtection");
  if (!*protection) return Verdict::NonCompliant("deletion protection is disabled");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "RDS_INSTANCE_DELETION_PROTECTION_ENABLED",
    .resource_types = {"AWS::RDS::DBInstance"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "databaseEngines", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
