// WAF_REGIONAL_WEBACL_NOT_EMPTY (waf-regional-webacl-not-empty): a WAF Classic regional web ACL
// must contain WAF rules or rule groups. AWS: NON_COMPLIANT if there are no WAF rules or rule
// groups in the web ACL.
//
// The rules are the CI's configuration.rulesList (AWS Config's spelling; the API's GetWebACL
// calls them Rules, which is accepted too). Entries of every type count: REGULAR and RATE_BASED
// rules and GROUP (rule group) entries.
//
// Choices where AWS's page is silent:
// - A CI without a rules list is a web ACL without rules (NON_COMPLIANT).
#include "rules/managed/waf/waf_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

const ManagedRule kRule{{
    .identifier = "WAF_REGIONAL_WEBACL_NOT_EMPTY",
    .resource_types = {"AWS::WAFRegional::WebACL"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &waf::EvaluateClassicWebAclNotEmpty,
}};

}  // namespace
}  // namespace vigil::rules
