// NETFW_STATELESS_RULE_GROUP_NOT_EMPTY (netfw-stateless-rule-group-not-empty): a stateless AWS
// Network Firewall rule group must contain rules. AWS: NON_COMPLIANT if there are no rules in a
// stateless rule group.
//
// The group's type is configuration.ruleGroupResponse.type; its rules are
// configuration.ruleGroup.rulesSource.statelessRulesAndCustomActions.statelessRules.
//
// Choices where AWS's page is silent:
// - Stateful rule groups are NOT_APPLICABLE. A CI without a type is judged by its rules source: a
//   group with a statelessRulesAndCustomActions source is stateless; otherwise NOT_APPLICABLE.
// - Custom actions alone are not rules (NON_COMPLIANT).
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  (void)ctx;
  const json::Value c = item.Config();
  const json::Value source =
      c.Get("ruleGroup").Get("rulesSource").Get("statelessRulesAndCustomActions");
  const std::string type =
      ToLower(Trim(c.Get("ruleGroupResponse").Get("type").String().value_or("")));
  if (type.empty() ? source.Missing() : type != "stateless")
    return Verdict::NotApplicable("not a stateless rule group" +
                                  (type.empty() ? std::string() : " (type " + type + ")"));
  const size_t n = source.Get("statelessRules").Size();
  if (n == 0) return Verdict::NonCompliant("the stateless rule group contains no rules");
  return Verdict::Compliant(std::to_string(n) + " stateless rule(s)");
}

const ManagedRule kRule{{
    .identifier = "NETFW_STATELESS_RULE_GROUP_NOT_EMPTY",
    .resource_types = {"AWS::NetworkFirewall::RuleGroup"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
