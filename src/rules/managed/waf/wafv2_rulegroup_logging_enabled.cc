// WAFV2_RULEGROUP_LOGGING_ENABLED (wafv2-rulegroup-logging-enabled): AWS WAFv2 rule groups must
// collect Amazon CloudWatch security metrics. AWS: NON_COMPLIANT if the
// 'VisibilityConfig.CloudWatchMetricsEnabled' field is set to false; NOT_APPLICABLE if the rule
// group contains no rules.
//
// The data is the CI's configuration.visibilityConfig.cloudWatchMetricsEnabled (the rule
// group's) and configuration.rules[].visibilityConfig.cloudWatchMetricsEnabled (each rule's).
// The API's PascalCase spellings (VisibilityConfig, Rules, CloudWatchMetricsEnabled) are accepted
// too.
//
// Choices where AWS's page is silent:
// - Both the rule group's visibility configuration and every rule's must enable CloudWatch
//   metrics (AWS's note makes the rules the subject of the check; the rule group's own flag is
//   the field AWS names).
// - A visibility configuration without the flag counts as not enabled (WAF requires the flag, so
//   a recorded configuration always has it).
// - A CI without a rules list is a rule group without rules (NOT_APPLICABLE).
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

json::Value Get2(const json::Value& v, std::string_view camel, std::string_view pascal) {
  json::Value out = v.Get(camel);
  return out.Missing() ? v.Get(pascal) : out;
}

bool MetricsEnabled(const json::Value& owner) {
  const json::Value vc = Get2(owner, "visibilityConfig", "VisibilityConfig");
  return Get2(vc, "cloudWatchMetricsEnabled", "CloudWatchMetricsEnabled").Bool() == true;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  (void)ctx;
  const json::Value c = item.Config();
  const json::Value rules = Get2(c, "rules", "Rules");
  if (rules.Size() == 0) return Verdict::NotApplicable("the rule group contains no rules");
  std::vector<std::string> off;
  if (!MetricsEnabled(c)) off.emplace_back("the rule group");
  for (const json::Value r : rules.Elements()) {
    if (MetricsEnabled(r)) continue;
    const std::string_view name = Get2(r, "name", "Name").String().value_or("");
    off.push_back("rule " + std::string(name.empty() ? "(unnamed)" : name));
  }
  if (off.empty())
    return Verdict::Compliant("CloudWatch metrics enabled for the rule group and its " +
                              std::to_string(rules.Size()) + " rule(s)");
  std::string list;
  for (size_t i = 0; i < off.size() && i < 5; ++i) list += (i ? ", " : "") + off[i];
  if (off.size() > 5) list += ", ...";
  return Verdict::NonCompliant(TruncateUtf8("CloudWatch metrics disabled for " + list, 256));
}

const ManagedRule kRule{{
    .identifier = "WAFV2_RULEGROUP_LOGGING_ENABLED",
    .resource_types = {"AWS::WAFv2::RuleGroup"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
