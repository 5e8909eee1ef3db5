// REDSHIFT_DEFAULT_DB_NAME_CHECK (redshift-default-db-name-check): a Redshift cluster's database
// name must not be the default; NON_COMPLIANT if it is "dev", or if `validDatabaseNames` is given
// and the name is not in it.
//
// Read from the AWS::Redshift::Cluster CI: `configuration.dBName`.
//
// Choices where AWS's page is silent:
// - Names are compared ignoring case: Redshift database names are lower case, so "DEV" in the
//   parameter can only mean "dev".
// - "dev" is NON_COMPLIANT even when listed in `validDatabaseNames`.
#include "rules/managed/redshift/redshift_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& cluster) {
  return redshift::EvaluateNotDefaultName(ctx, cluster, "dBName", "dev", "validDatabaseNames",
                                          "the database name");
}

const ManagedRule kRule{{
    .identifier = "REDSHIFT_DEFAULT_DB_NAME_CHECK",
    .resource_types = {"AWS::Redshift::Cluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "validDatabaseNames", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
