// ALB_DESYNC_MODE_CHECK (alb-desync-mode-check): an Application Load Balancer's desync
// mitigation mode must be one of `desyncMode` (comma-separated; "defensive", "strictest",
// "monitor"). AWS: NON_COMPLIANT if the ALB's desync mitigation mode does not match the
// user-defined mode.
//
// The mode is the attribute routing.http.desync_mitigation_mode in the CI's
// supplementaryConfiguration.LoadBalancerAttributes.
//
// Choices where AWS's page is silent:
// - Network and Gateway Load Balancers are NOT_APPLICABLE; a CI without a type is treated as an
//   ALB.
// - Modes are compared ignoring case and surrounding spaces. AWS allows at most two values;
//   vigil accepts any number and does not reject unknown values (they simply never match).
// - An attribute list without this attribute means ELB's documented default, "defensive". A CI
//   without any attribute list gives no verdict (MISSING_FACT naming the load balancer type).
#include <string>

#include "common/strings.h"
#include "rules/managed/elbv2/elbv2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kKey = "routing.http.desync_mitigation_mode";

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& lb) {
  if (auto skip = elbv2::NotAnApplicationLoadBalancer(lb)) return *skip;
  Verdict missing;
  const auto attrs = elbv2::RecordedAttributes(lb, &missing);
  if (!attrs) return missing;
  const std::string_view mode = Trim(attrs->Get(kKey).value_or("defensive"));
  const auto wanted = ctx.CsvParam("desyncMode");
  for (std::string_view w : wanted)
    if (elbv2::EqualsIgnoreCase(Trim(w), mode)) return Verdict::Compliant();
  std::string list;
  for (std::string_view w : wanted) list += (list.empty() ? "" : ", ") + std::string(w);
  return Verdict::NonCompliant(
      TruncateUtf8("desync mitigation mode is " + std::string(mode) + ", not " + list, 256));
}

const ManagedRule kRule{{
    .identifier = "ALB_DESYNC_MODE_CHECK",
    .resource_types = {"AWS::ElasticLoadBalancingV2::LoadBalancer"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "desyncMode", .type = ParamType::kCsv, .optional = false}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
