// RDS_AUTOMATIC_MINOR_VERSION_UPGRADE_ENABLED (rds-automatic-minor-version-upgrade-enabled): an RDS
// DB instance is NON_COMPLIANT when configuration.autoMinorVersionUpgrade is false, COMPLIANT when
// it is true.
//
// Choices where AWS's page is silent:
// - A CI that does not record autoMinorVersionUpgrade (AWS Config always does) gives no verdict:
//   MissingFact.
#include "rules/managed/rds/rds_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& db) {
  return rds::RequireSetting(db, "autoMinorVersionUpgrade", true,
                             "automatic minor version upgrade is disabled");
}

const ManagedRule kRule{{
    .identifier = "RDS_AUTOMATIC_MINOR_VERSION_UPGRADE_ENABLED",
    .resource_types = {"AWS::RDS::DBInstance"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
