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
#include "rules/managed/waf/waf_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

const ManagedRule kRule{{
    .identifier = "WAFV2_WEBACL_NOT_EMPTY",
    .resource_types = {"AWS::WAFv2::WebACL"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &waf::EvaluateV2WebAclNotEmpty,
}};

}  // namespace
}  // namespace vigil::rules
