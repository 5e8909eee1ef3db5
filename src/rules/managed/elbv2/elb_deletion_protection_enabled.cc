// ELB_DELETION_PROTECTION_ENABLED (elb-deletion-protection-enabled): an Elastic Load Balancing v2
// load balancer (Application, Network or Gateway) must have deletion protection enabled. AWS:
// NON_COMPLIANT if deletion_protection.enabled is false.
//
// Data: the AWS::ElasticLoadBalancingV2::LoadBalancer CI's
// supplementaryConfiguration.LoadBalancerAttributes, a list of {"key", "value"} (elbv2_util.h).
//
// Choices where AWS's page is silent:
// - Every load balancer type is checked (all three support deletion protection).
// - An attribute list without deletion_protection.enabled means the default, false
//   (NON_COMPLIANT). A CI without the attribute list gives no verdict (MISSING_FACT naming the
//   item's type: it must be recorded with its supplementary configuration).
// - The value is compared with "true" ignoring case and surrounding spaces.
#include <string>

#include "common/strings.h"
#include "rules/managed/elbv2/elbv2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& lb) {
  Verdict missing;
  const auto attrs = elbv2::RecordedAttributes(lb, &missing);
  if (!attrs) return missing;
  const std::string_view value = Trim(attrs->Get("deletion_protection.enabled").value_or("false"));
  if (elbv2::EqualsIgnoreCase(value, "true")) return Verdict::Compliant();
  return Verdict::NonCompliant("deletion_protection.enabled is " +
                               std::string(value.empty() ? "empty" : value));
}

const ManagedRule kRule{{
    .identifier = "ELB_DELETION_PROTECTION_ENABLED",
    .resource_types = {"AWS::ElasticLoadBalancingV2::LoadBalancer"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
