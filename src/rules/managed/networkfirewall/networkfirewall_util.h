// Shared AWS Network Firewall logic for managed rules: the stateless default actions of a
// firewall policy as AWS Config records them.
//
// An AWS::NetworkFirewall::FirewallPolicy CI holds the policy in `configuration.firewallPolicy`,
// with `statelessDefaultActions` (full packets) and `statelessFragmentDefaultActions` (fragmented
// packets): lists holding one standard action ("aws:pass", "aws:drop" or "aws:forward_to_sfe")
// and optionally the name of a custom action. The API's PascalCase spellings (FirewallPolicy,
// StatelessDefaultActions, ...) are accepted too.
#pragma once

#include <string_view>

#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::rules::networkfirewall {

// Judges the policy's standard stateless default actions in `field` ("statelessDefaultActions" or
// "statelessFragmentDefaultActions") against the CSV parameter `param`, which lists the accepted
// standard actions: COMPLIANT when every standard action of the policy is one of them (compared
// ignoring case), NON_COMPLIANT otherwise or when the policy records no standard action.
// `what` names the packets in annotations ("full packets", "fragmented packets").
Verdict JudgeDefaultActions(const RuleContext& ctx, const model::ConfigurationItem& item,
                            std::string_view field, std::string_view param, std::string_view what);

}  // namespace vigil::rules::networkfirewall
