// NETFW_POLICY_RULE_GROUP_ASSOCIATED (netfw-policy-rule-group-associated): an AWS Network
// Firewall policy must reference stateful or stateless rule groups. AWS: NON_COMPLIANT if no
// stateful or stateless rule group is associated with the policy, COMPLIANT if any one exists.
//
// The references are the CI's configuration.firewallPolicy.statefulRuleGroupReferences and
// .statelessRuleGroupReferences (lists of {"resourceArn", "priority"}).
//
// Choices where AWS's page is silent:
// - A reference counts when it is present in either list, whatever its ARN (the rule group is not
//   looked up). A CI without a firewallPolicy object has no references (NON_COMPLIANT).
#include <string>

#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  (void)ctx;
  const json::Value policy = item.Config().Get("firewallPolicy");
  const size_t stateful = policy.Get("statefulRuleGroupReferences").Size();
  const size_t stateless = policy.Get("statelessRuleGroupReferences").Size();
  if (stateful + stateless == 0)
    return Verdict::NonCompliant("no stateful or stateless rule group is associated");
  return Verdict::Compliant(std::to_string(stateful) + " stateful and " +
                            std::to_string(stateless) + " stateless rule group(s)");
}

const ManagedRule kRule{{
    .identifier = "NETFW_POLICY_RULE_GROUP_ASSOCIATED",
    .resource_types = {"AWS::NetworkFirewall::FirewallPolicy"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
