// Helpers shared by the RDS managed rules.
#pragma once

#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::rules::rds {

// The whole of RDS_INSTANCE_DEFAULT_ADMIN_CHECK / RDS_CLUSTER_DEFAULT_ADMIN_CHECK, for a DB
// instance or DB cluster CI: NON_COMPLIANT when configuration.masterUsername is a default admin
// user name ("postgres" or "admin", the defaults AWS names), or when validAdminUserNames is given
// and does not list it; COMPLIANT otherwise. Names compare exactly (case-sensitive), list
// entries trimmed; a default name stays NON_COMPLIANT even if validAdminUserNames lists it (AWS
// says the list cannot include them). MissingFact(resource type) when masterUsername is not
// recorded.
Verdict EvaluateDefaultAdmin(const RuleContext& ctx, const model::ConfigurationItem& db);

}  // namespace vigil::rules::rds
