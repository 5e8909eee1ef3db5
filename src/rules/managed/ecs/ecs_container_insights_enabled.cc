// ECS_CONTAINER_INSIGHTS_ENABLED (ecs-container-insights-enabled): ECS clusters must have
// CloudWatch Container Insights enabled. AWS: NON_COMPLIANT if container insights are not
// enabled.
//
// Data: configuration.ClusterSettings[] ({"Name": "containerInsights", "Value": ...}) of the
// AWS::ECS::Cluster CI (the ECS API's settings[] {name, value} spelling is read too).
//
// Choices where AWS's page is silent:
// - The values "enabled" and "enhanced" (Container Insights with enhanced observability) are
//   enabled; "disabled", or no containerInsights setting, is NON_COMPLIANT. Names and values
//   compare ignoring case.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

json::Value Either(json::Value obj, std::string_view a, std::string_view b) {
  json::Value v = obj.Get(a);
  return v.Missing() ? obj.Get(b) : v;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& cluster) {
  (void)ctx;
  json::Value settings = Either(cluster.Config(), "ClusterSettings", "settings");
  if (settings.Missing()) settings = cluster.Config().Get("clusterSettings");
  for (json::Value s : settings.Elements()) {
    if (ToLower(Trim(Either(s, "Name", "name").String().value_or(""))) != "containerinsights")
      continue;
    const std::string value = ToLower(Trim(Either(s, "Value", "value").String().value_or("")));
    if (value == "enabled" || value == "enhanced") return Verdict::Compliant();
    return Verdict::NonCompliant(
        TruncateUtf8("Container Insights is " + (value.empty() ? "not set" : value), 256));
  }
  return Verdict::NonCompliant("the cluster has no containerInsights setting");
}

const ManagedRule kRule{{
    .identifier = "ECS_CONTAINER_INSIGHTS_ENABLED",
    .resource_types = {"AWS::ECS::Cluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
