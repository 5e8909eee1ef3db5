// RDS_CLUSTER_DEFAULT_ADMIN_CHECK (rds-cluster-default-admin-check): an RDS DB cluster must not use
// a default admin user name (configuration.masterUsername "postgres" or "admin"); with
// validAdminUserNames, it must use one of the listed names. The logic, and the choices where AWS's
// page is silent, are in rds::EvaluateDefaultAdmin (rds_util.h): names compare case-sensitively, a
// listed default name is still NON_COMPLIANT, and a CI without masterUsername gives no verdict
// (MissingFact).
#include "rules/managed/rds/rds_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& db) {
  return rds::EvaluateDefaultAdmin(ctx, db);
}

const ManagedRule kRule{{
    .identifier = "RDS_CLUSTER_DEFAULT_ADMIN_CHECK",
    .resource_types = {"AWS::RDS::DBCluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "validAdminUserNames", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
