// RDS_INSTANCE_PUBLIC_ACCESS_CHECK (rds-instance-public-access-check): an RDS DB instance is
// NON_COMPLIANT when configuration.publiclyAccessible is true, COMPLIANT when it is false.
//
// Choices where AWS's page is silent:
// - A CI that does not record publiclyAccessible (AWS Config always does) gives no verdict:
//   MissingFact.
#include "rules/managed/rds/rds_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& db) {
  return rds::RequireSetting(db, "publiclyAccessible", false,
                             "the DB instance is publicly accessible");
}

const ManagedRule kRule{{
    .identifier = "RDS_INSTANCE_PUBLIC_ACCESS_CHECK",
    .resource_types = {"AWS::RDS::DBInstance"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
