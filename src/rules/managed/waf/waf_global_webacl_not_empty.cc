// WAF_GLOBAL_WEBACL_NOT_EMPTY (waf-global-webacl-not-empty): an AWS WAF Classic global web ACL
// must contain WAF rules or rule groups. AWS: NON_COMPLIANT if the web ACL does not contain any
// WAF rule or rule group.
//
// The rules are the CI's configuration.rulesList (AWS Config's spelling; the API's GetWebACL calls
// them Rules, which is accepted too). Entries of every type count: REGULAR and RATE_BASED rules
// and GROUP (rule group) entries.
//
// Choices where AWS's page is silent:
// - A CI without a rules list is a web ACL without rules (NON_COMPLIANT).
#include <string>

#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  (void)ctx;
  const json::Value c = item.Config();
  size_t n = c.Get("rulesList").Size();
  if (n == 0) n = c.Get("rules").Size();
  if (n == 0) n = c.Get("Rules").Size();
  if (n == 0) return Verdict::NonCompliant("the web ACL contains no rules or rule groups");
  return Verdict::Compliant(std::to_string(n) + " rule(s) or rule group(s)");
}

const ManagedRule kRule{{
    .identifier = "WAF_GLOBAL_WEBACL_NOT_EMPTY",
    .resource_types = {"AWS::WAF::WebACL"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
