// WAF_GLOBAL_RULEGROUP_NOT_EMPTY (waf-global-rulegroup-not-empty): an AWS WAF Classic global rule
// group must contain rules. AWS: NON_COMPLIANT if there are no rules present within the rule
// group.
//
// The rules are the CI's configuration.rules (AWS Config's spelling; the API's
// ListActivatedRulesInRuleGroup calls them ActivatedRules, which is accepted too).
//
// Choices where AWS's page is silent:
// - A CI without a rules list is a rule group without rules (NON_COMPLIANT).
#include <string>

#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  (void)ctx;
  const json::Value c = item.Config();
  size_t n = c.Get("rules").Size();
  if (n == 0) n = c.Get("activatedRules").Size();
  if (n == 0) n = c.Get("ActivatedRules").Size();
  if (n == 0) return Verdict::NonCompliant("the rule group contains no rules");
  return Verdict::Compliant(std::to_string(n) + " rule(s)");
}

const ManagedRule kRule{{
    .identifier = "WAF_GLOBAL_RULEGROUP_NOT_EMPTY",
    .resource_types = {"AWS::WAF::RuleGroup"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
