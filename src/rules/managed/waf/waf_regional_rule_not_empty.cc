// WAF_REGIONAL_RULE_NOT_EMPTY (waf-regional-rule-not-empty): a WAF Classic regional rule must
// contain conditions. AWS: COMPLIANT if the rule contains at least one condition, NON_COMPLIANT
// otherwise.
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
    .identifier = "WAF_REGIONAL_RULE_NOT_EMPTY",
    .resource_types = {"AWS::WAFRegional::Rule"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &waf::EvaluateClassicRuleNotEmpty,
}};

}  // namespace
}  // namespace vigil::rules
