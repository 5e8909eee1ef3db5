// WAF_GLOBAL_RULE_NOT_EMPTY (waf-global-rule-not-empty): an AWS WAF Classic global rule must
// contain conditions. AWS: NON_COMPLIANT if no conditions are present within the WAF global rule.
//
// The conditions are the CI's configuration.predicateList (AWS Config's spelling; the API's
// GetRule calls them Predicates, which is accepted too).
//
// Choices where AWS's page is silent:
// - A CI without a predicate list is a rule without conditions (NON_COMPLIANT).
#include <string>

#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  (void)ctx;
  const json::Value c = item.Config();
  size_t n = c.Get("predicateList").Size();
  if (n == 0) n = c.Get("predicates").Size();
  if (n == 0) n = c.Get("Predicates").Size();
  if (n == 0) return Verdict::NonCompliant("the rule contains no conditions");
  return Verdict::Compliant(std::to_string(n) + " condition(s)");
}

const ManagedRule kRule{{
    .identifier = "WAF_GLOBAL_RULE_NOT_EMPTY",
    .resource_types = {"AWS::WAF::Rule"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
