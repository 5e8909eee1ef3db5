// WAF helpers shared by the WAF Classic (global and regional) and WAFv2 managed rules.
//
// The *_NOT_EMPTY rules count a list in the web ACL, rule group or rule CI: AWS Config's spelling
// of the list first, then the API's. Global (AWS::WAF::*) and regional (AWS::WAFRegional::*) WAF
// Classic resources are recorded in the same shape, so each pair of rules shares one evaluate
// function. A CI without the list is a resource with nothing in it (NON_COMPLIANT).
#pragma once

#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::rules::waf {

// WAF_GLOBAL_RULE_NOT_EMPTY, WAF_REGIONAL_RULE_NOT_EMPTY: the rule's conditions,
// configuration.predicateList (the API's GetRule: Predicates).
Verdict EvaluateClassicRuleNotEmpty(const RuleContext& ctx, const model::ConfigurationItem& item);

// WAF_GLOBAL_RULEGROUP_NOT_EMPTY, WAF_REGIONAL_RULEGROUP_NOT_EMPTY: the rule group's rules,
// configuration.rules (the API's ListActivatedRulesInRuleGroup: ActivatedRules).
Verdict EvaluateClassicRuleGroupNotEmpty(const RuleContext& ctx,
                                         const model::ConfigurationItem& item);

// WAF_GLOBAL_WEBACL_NOT_EMPTY, WAF_REGIONAL_WEBACL_NOT_EMPTY: the web ACL's rules and rule groups,
// configuration.rulesList (the API's GetWebACL: Rules); entries of every type count.
Verdict EvaluateClassicWebAclNotEmpty(const RuleContext& ctx, const model::ConfigurationItem& item);

// WAFV2_RULEGROUP_NOT_EMPTY: the rule group's rules, configuration.rules (or Rules).
Verdict EvaluateV2RuleGroupNotEmpty(const RuleContext& ctx, const model::ConfigurationItem& item);

// WAFV2_WEBACL_NOT_EMPTY: the web ACL's rules and rule-group statements, configuration.rules (or
// Rules); Firewall Manager rule groups are not the web ACL's own and do not count.
Verdict EvaluateV2WebAclNotEmpty(const RuleContext& ctx, const model::ConfigurationItem& item);

}  // namespace vigil::rules::waf
