// ALB_HTTP_DROP_INVALID_HEADER_ENABLED (alb-http-drop-invalid-header-enabled): an Application Load
// Balancer must drop HTTP headers with invalid fields. AWS: NON_COMPLIANT if
// routing.http.drop_invalid_header_fields.enabled is false.
//
// The attribute is read from the CI's supplementaryConfiguration.LoadBalancerAttributes.
//
// Choices where AWS's page is silent:
// - Network and Gateway Load Balancers are NOT_APPLICABLE (the attribute exists only for ALBs);
//   a CI without a type is treated as an ALB.
// - An attribute list without this attribute means ELB's documented default, false
//   (NON_COMPLIANT). A CI without any attribute list gives no verdict (MISSING_FACT naming the
//   load balancer type: it must be recorded with its supplementary configuration).
// - The value is compared with "true" ignoring case.
#include <string>

#include "rules/managed/elbv2/elbv2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kKey = "routing.http.drop_invalid_header_fields.enabled";

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& lb) {
  (void)ctx;
  if (auto skip = elbv2::NotAnApplicationLoadBalancer(lb)) return *skip;
  Verdict missing;
  const auto attrs = elbv2::RecordedAttributes(lb, &missing);
  if (!attrs) return missing;
  const auto value = attrs->Get(kKey);
  if (!value) return Verdict::NonCompliant(std::string(kKey) + " is not set (default false)");
  if (elbv2::EqualsIgnoreCase(*value, "true")) return Verdict::Compliant();
  return Verdict::NonCompliant(std::string(kKey) + " is " + std::string(*value));
}

const ManagedRule kRule{{
    .identifier = "ALB_HTTP_DROP_INVALID_HEADER_ENABLED",
    .resource_types = {"AWS::ElasticLoadBalancingV2::LoadBalancer"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
