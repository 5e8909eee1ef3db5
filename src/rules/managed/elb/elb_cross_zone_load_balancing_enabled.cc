// ELB_CROSS_ZONE_LOAD_BALANCING_ENABLED (elb-cross-zone-load-balancing-enabled): Classic Load
// Balancers must have cross-zone load balancing enabled. AWS: NON_COMPLIANT if cross-zone load
// balancing is not enabled.
//
// Data: the AWS::ElasticLoadBalancing::LoadBalancer CI's
// supplementaryConfiguration.LoadBalancerAttributes.crossZoneLoadBalancing.enabled.
//
// Choices where AWS's page is silent:
// - An attribute set without the crossZoneLoadBalancing setting means ELB's API default for
//   Classic Load Balancers, disabled (NON_COMPLIANT). A CI without any attribute set gives no
//   verdict (MISSING_FACT naming the item's type: it must be recorded with its supplementary
//   configuration).
// - The value may be a boolean or the string "true" (any case).
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& lb) {
  const json::Value attrs = lb.Supplementary("LoadBalancerAttributes");
  if (!attrs.IsObject())
    return Verdict::MissingFact(std::string(lb.resource_type),
                                "the configuration item has no "
                                "supplementaryConfiguration.LoadBalancerAttributes");
  const json::Value enabled = attrs.Get("crossZoneLoadBalancing").Get("enabled");
  if (enabled.Bool().value_or(false) || ToLower(Trim(enabled.String().value_or(""))) == "true")
    return Verdict::Compliant();
  return Verdict::NonCompliant("cross-zone load balancing is disabled");
}

const ManagedRule kRule{{
    .identifier = "ELB_CROSS_ZONE_LOAD_BALANCING_ENABLED",
    .resource_types = {"AWS::ElasticLoadBalancing::LoadBalancer"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
