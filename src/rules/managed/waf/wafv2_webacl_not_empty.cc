// WAFV2_WEBACL_NOT_EMPTY (wafv2-webacl-not-empty): AWS WAFv2 web ACLs must contain WAF rules or
// rule groups. AWS: NON_COMPLIANT if a web ACL does not contain any WAF rules or WAF rule groups.
//
// The rules are the CI's configuration.rules (the API's spelling Rules is accepted too): each is
// a rule of its own or a rule-group reference / managed rule group statement, so rules and rule
// groups are counted alike.
//
// Choices where AWS's page is silent:
// - A CI without a rules list is a web ACL without rules (NON_COMPLIANT).
// - Firewall Manager rule groups (preProcess/postProcessFirewallManagerRuleGroups) are not the
//   web ACL's own rules and do not count.
#include <string>

#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  (void)ctx;
  const json::Value c = item.Config();
  size_t n = c.Get("rules").Size();
  if (n == 0) n = c.Get("Rules").Size();
  if (n == 0) return Verdict::NonCompliant("the web ACL contains no rules or rule groups");
  return Verdict::Compliant(std::to_string(n) + " rule(s) or rule group(s)");
}

const ManagedRule kRule{{
    .identifier = "WAFV2_WEBACL_NOT_EMPTY",
    .resource_types = {"AWS::WAFv2::WebACL"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
