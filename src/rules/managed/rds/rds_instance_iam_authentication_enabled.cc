// RDS_INSTANCE_IAM_AUTHENTICATION_ENABLED (rds-instance-iam-authentication-enabled): an RDS DB
// instance must have IAM database authentication enabled: NON_COMPLIANT when configuration.
// iAMDatabaseAuthenticationEnabled is false. As AWS's page notes, only instances whose engine is
// mysql, postgres, aurora, aurora-mysql or aurora-postgresql and whose dBInstanceStatus is
// available, backing-up, storage-optimization or storage-full are evaluated; others are
// NOT_APPLICABLE.
//
// Data: the AWS::RDS::DBInstance CI (engine, dBInstanceStatus, iAMDatabaseAuthenticationEnabled).
//
// Choices where AWS's page is silent:
// - Engines and statuses compare ignoring case. Engines outside AWS's list (mariadb included)
//   are NOT_APPLICABLE, as the note says.
// - A CI without engine, dBInstanceStatus or iAMDatabaseAuthenticationEnabled gives no verdict:
//   MissingFact.
#include <string>

#include "common/strings.h"
#include "rules/managed/rds/rds_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& db) {
  const json::Value config = db.Config();
  const std::string engine = rds::Engine(db);
  const std::string status = ToLower(Trim(config.Get("dBInstanceStatus").String().value_or("")));
  if (engine.empty() || status.empty())
    return Verdict::MissingFact("AWS::RDS::DBInstance",
                                "the configuration item does not record the engine and status");
  if (engine != "mysql" && engine != "postgres" && engine != "aurora" && engine != "aurora-mysql" &&
      engine != "aurora-postgresql")
    return Verdict::NotApplicable("engine '" + engine + "' is not evaluated by this rule");
  if (status != "available" && status != "backing-up" && status != "storage-optimization" &&
      status != "storage-full")
    return Verdict::NotApplicable("instance status '" + status + "' is not evaluated");
  return rds::RequireSetting(db, "iAMDatabaseAuthenticationEnabled", true,
                             "IAM database authentication is not enabled");
}

const ManagedRule kRule{{
    .identifier = "RDS_INSTANCE_IAM_AUTHENTICATION_ENABLED",
    .resource_types = {"AWS::RDS::DBInstance"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
