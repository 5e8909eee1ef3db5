// NETFW_POLICY_DEFAULT_ACTION_FRAGMENT_PACKETS (netfw-policy-default-action-fragment-packets): an
// AWS Network Firewall policy must use a user-defined stateless default action for fragmented
// packets. AWS: NON_COMPLIANT if the stateless default action for fragmented packets does not
// match the user-defined default action; `statelessFragmentDefaultActions` (required) lists up to
// two of 'aws:pass', 'aws:drop' and 'aws:forward_to_sfe'.
//
// The data is the CI's configuration.firewallPolicy.statelessFragmentDefaultActions: one standard
// action ("aws:...") and optionally a custom action name.
//
// Choices where AWS's page is silent:
// - The parameter lists the accepted actions: the policy's standard action must be one of them
//   (a policy holds exactly one standard action, so "max of two" can only mean alternatives).
//   Actions are compared ignoring case; custom actions in the policy's list are not judged.
// - A policy without a recorded standard action is NON_COMPLIANT.
#include "rules/managed/networkfirewall/networkfirewall_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  return networkfirewall::JudgeDefaultActions(ctx, item, "statelessFragmentDefaultActions",
                                              "statelessFragmentDefaultActions",
                                              "fragmented packets");
}

const ManagedRule kRule{{
    .identifier = "NETFW_POLICY_DEFAULT_ACTION_FRAGMENT_PACKETS",
    .resource_types = {"AWS::NetworkFirewall::FirewallPolicy"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "statelessFragmentDefaultActions",
                    .type = ParamType::kCsv,
                    .optional = false}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
