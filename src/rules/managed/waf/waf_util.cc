#include "rules/managed/waf/waf_util.h"

#include <initializer_list>
#include <string>
#include <string_view>

namespace vigil::rules::waf {
namespace {

// The size of the first non-empty list among the configuration members `spellings`; 0 if none.
size_t CountEntries(const model::ConfigurationItem& item,
                    std::initializer_list<std::string_view> spellings) {
  const json::Value c = item.Config();
  for (std::string_view name : spellings)
    if (size_t n = c.Get(name).Size(); n > 0) return n;
  return 0;
}

// NON_COMPLIANT "the <resource> contains no <entries>" for an empty list, else COMPLIANT
// "<n> <counted>".
Verdict NotEmptyVerdict(size_t n, std::string_view resource, std::string_view entries,
                        std::string_view counted) {
  if (n == 0)
    return Verdict::NonCompliant("the " + std::string(resource) + " contains no " +
                                 std::string(entries));
  return Verdict::Compliant(std::to_string(n) + " " + std::string(counted));
}

}  // namespace

Verdict EvaluateClassicRuleNotEmpty(const RuleContext&, const model::ConfigurationItem& item) {
  return NotEmptyVerdict(CountEntries(item, {"predicateList", "predicates", "Predicates"}), "rule",
                         "conditions", "condition(s)");
}

Verdict EvaluateClassicRuleGroupNotEmpty(const RuleContext&, const model::ConfigurationItem& item) {
  return NotEmptyVerdict(CountEntries(item, {"rules", "activatedRules", "ActivatedRules"}),
                         "rule group", "rules", "rule(s)");
}

Verdict EvaluateClassicWebAclNotEmpty(const RuleContext&, const model::ConfigurationItem& item) {
  return NotEmptyVerdict(CountEntries(item, {"rulesList", "rules", "Rules"}), "web ACL",
                         "rules or rule groups", "rule(s) or rule group(s)");
}

Verdict EvaluateV2RuleGroupNotEmpty(const RuleContext&, const model::ConfigurationItem& item) {
  return NotEmptyVerdict(CountEntries(item, {"rules", "Rules"}), "rule group", "rules", "rule(s)");
}

Verdict EvaluateV2WebAclNotEmpty(const RuleContext&, const model::ConfigurationItem& item) {
  return NotEmptyVerdict(CountEntries(item, {"rules", "Rules"}), "web ACL", "rules or rule groups",
                         "rule(s) or rule group(s)");
}

}  // namespace vigil::rules::waf
