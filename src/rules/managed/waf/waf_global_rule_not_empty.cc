// WAF_GLOBAL_RULE_NOT_EMPTY (waf-global-rule-not-empty): an AWS WAF Classic global rule must
// contain conditions. AWS: NON_COMPLIANT if no conditions are present within the WAF global rule.
//
// The conditions are the CI's configuration.predicateList (AWS Config's spelling; the API's
// GetRule calls them Predicates, which is accepted too).
//
// Choices where AWS's page is silent:
// - A CI without a predicate list is a rule without conditions (NON_COMPLIANT).
#include "rules/managed/waf/waf_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

const ManagedRule kRule{{
    .identifier = "WAF_GLOBAL_RULE_NOT_EMPTY",
    .resource_types = {"AWS::WAF::Rule"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &waf::EvaluateClassicRuleNotEmpty,
}};

}  // namespace
}  // namespace vigil::rules
