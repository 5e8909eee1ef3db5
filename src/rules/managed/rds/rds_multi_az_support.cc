// RDS_MULTI_AZ_SUPPORT (rds-multi-az-support): high availability (Multi-AZ) must be enabled for
// RDS DB instances: NON_COMPLIANT when configuration.multiAZ is false. AWS's page: the rule does
// not evaluate Amazon Aurora DB and Amazon DocumentDB instances; they are NOT_APPLICABLE.
//
// Data: the AWS::RDS::DBInstance CI (engine, multiAZ).
//
// Choices where AWS's page is silent:
// - Aurora instances are those whose engine is "aurora" or starts with "aurora-"; DocumentDB ones
//   have engine "docdb". Every other engine, Neptune ("neptune") included, is evaluated, as the
//   page excludes only Aurora and DocumentDB.
// - Read replicas are evaluated like any instance.
// - A CI without engine or multiAZ gives no verdict: MissingFact.
#include <string>

#include "common/strings.h"
#include "rules/managed/rds/rds_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& db) {
  const std::string engine = rds::Engine(db);
  if (engine.empty())
    return Verdict::MissingFact("AWS::RDS::DBInstance",
                                "the configuration item does not record the engine");
  if (engine == "aurora" || StartsWith(engine, "aurora-") || engine == "docdb")
    return Verdict::NotApplicable("the rule does not evaluate " + engine + " instances");
  return rds::RequireSetting(db, "multiAZ", true, "the DB instance is not Multi-AZ");
}

const ManagedRule kRule{{
    .identifier = "RDS_MULTI_AZ_SUPPORT",
    .resource_types = {"AWS::RDS::DBInstance"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
