// REDSHIFT_ENHANCED_VPC_ROUTING_ENABLED (redshift-enhanced-vpc-routing-enabled): an Amazon Redshift
// cluster must have enhanced VPC routing enabled: NON_COMPLIANT if it is not enabled, that is if
// configuration.enhancedVpcRouting is false or absent (AWS's page names both cases).
//
// Data: the AWS::Redshift::Cluster CI (enhancedVpcRouting).
//
// Choices where AWS's page is silent:
// - A pending change (pendingModifiedValues.enhancedVpcRouting) is not considered: the current
//   value decides.
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& cluster) {
  const std::optional<bool> enabled = cluster.Config().Get("enhancedVpcRouting").Bool();
  if (!enabled) return Verdict::NonCompliant("enhanced VPC routing is not enabled (not recorded)");
  if (!*enabled) return Verdict::NonCompliant("enhanced VPC routing is disabled");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "REDSHIFT_ENHANCED_VPC_ROUTING_ENABLED",
    .resource_types = {"AWS::Redshift::Cluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
