// REDSHIFT_DEFAULT_ADMIN_CHECK (redshift-default-admin-check): a Redshift cluster's admin user
// name must not be the default; NON_COMPLIANT if it is "awsuser", or if `validAdminUserNames` is
// given and the name is not in it.
//
// Read from the AWS::Redshift::Cluster CI: `configuration.masterUsername`.
//
// Choices where AWS's page is silent:
// - Names are compared ignoring case: Redshift stores admin user names in lower case, so
//   "AWSUser" in the parameter can only mean "awsuser".
// - "awsuser" is NON_COMPLIANT even when listed in `validAdminUserNames` (AWS: "'awsuser' is the
//   default and not accepted").
#include "rules/managed/redshift/redshift_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& cluster) {
  return redshift::EvaluateNotDefaultName(ctx, cluster, "masterUsername", "awsuser",
                                          "validAdminUserNames", "the admin user name");
}

const ManagedRule kRule{{
    .identifier = "REDSHIFT_DEFAULT_ADMIN_CHECK",
    .resource_types = {"AWS::Redshift::Cluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "validAdminUserNames", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
