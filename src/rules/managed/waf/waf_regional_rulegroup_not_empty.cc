// WAF_REGIONAL_RULEGROUP_NOT_EMPTY (waf-regional-rulegroup-not-empty): a WAF Classic regional
// rule group must contain rules. AWS: NON_COMPLIANT if there are no rules in the rule group.
//
// The rules are the CI's configuration.rules (AWS Config's spelling; the API's
// ListActivatedRulesInRuleGroup calls them ActivatedRules, which is accepted too).
//
// Choices where AWS's page is silent:
// - A CI without a rules list is a rule group without rules (NON_COMPLIANT).
#include "rules/managed/waf/waf_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

const ManagedRule kRule{{
    .identifier = "WAF_REGIONAL_RULEGROUP_NOT_EMPTY",
    .resource_types = {"AWS::WAFRegional::RuleGroup"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &waf::EvaluateClassicRuleGroupNotEmpty,
}};

}  // namespace
}  // namespace vigil::rules
