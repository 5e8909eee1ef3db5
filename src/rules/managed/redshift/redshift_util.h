// Redshift helpers shared by the Redshift managed rules, which read AWS::Redshift::Cluster CIs.
#pragma once

#include <string>
#include <string_view>

#include "json/value.h"
#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::rules::redshift {

// The failed settings of a rule that checks several cluster settings and names every failed one
// in its annotation (REDSHIFT_CLUSTER_CONFIGURATION_CHECK,
// REDSHIFT_CLUSTER_MAINTENANCESETTINGS_CHECK).
class SettingProblems {
 public:
  void Add(std::string_view problem);
  // COMPLIANT when no setting failed, else NON_COMPLIANT naming them all, "; "-separated.
  Verdict ToVerdict() const;

 private:
  std::string problems_;
};

// Whether a setting the rule may require is off: the boolean parameter `param` (true when not
// given) requires it, and the recorded boolean `recorded` is not true (absent counts as off).
// A parameter set to false means "not checked", not "must be off".
bool RequiredButOff(const RuleContext& ctx, std::string_view param, json::Value recorded);

// The name at configuration.<field> of a cluster, for REDSHIFT_DEFAULT_ADMIN_CHECK and
// REDSHIFT_DEFAULT_DB_NAME_CHECK: NON_COMPLIANT when it is Redshift's default `default_name`
// (even if the CSV parameter `valid_param` lists it), or when `valid_param` is given and does not
// list it; COMPLIANT otherwise. Names compare ignoring case and surrounding spaces (Redshift
// stores them in lower case). `what` names the setting in annotations ("the database name").
Verdict EvaluateNotDefaultName(const RuleContext& ctx, const model::ConfigurationItem& cluster,
                               std::string_view field, std::string_view default_name,
                               std::string_view valid_param, std::string_view what);

}  // namespace vigil::rules::redshift
