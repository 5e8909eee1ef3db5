// WAFV2_RULEGROUP_NOT_EMPTY (wafv2-rulegroup-not-empty): AWS WAFv2 rule groups must contain rules.
// AWS: NON_COMPLIANT if there are no rules in a WAFv2 rule group.
//
// The rules are the CI's configuration.rules (the API's spelling Rules is accepted too).
//
// Choices where AWS's page is silent:
// - A CI without a rules list is a rule group without rules (NON_COMPLIANT).
#include "rules/managed/waf/waf_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

const ManagedRule kRule{{
    .identifier = "WAFV2_RULEGROUP_NOT_EMPTY",
    .resource_types = {"AWS::WAFv2::RuleGroup"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &waf::EvaluateV2RuleGroupNotEmpty,
}};

}  // namespace
}  // namespace vigil::rules
