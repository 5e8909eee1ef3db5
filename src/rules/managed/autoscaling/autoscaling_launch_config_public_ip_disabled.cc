// AUTOSCALING_LAUNCH_CONFIG_PUBLIC_IP_DISABLED (autoscaling-launch-config-public-ip-disabled):
// Auto Scaling launch configurations must not give instances public IP addresses. NON_COMPLIANT
// if the launch configuration's `associatePublicIpAddress` is true, COMPLIANT otherwise.
//
// Choices where AWS's page is silent:
// - A launch configuration without `associatePublicIpAddress` (the subnet's setting then applies)
//   is COMPLIANT: AWS names only the value true as NON_COMPLIANT.
// - Every launch configuration is evaluated, whether or not an Auto Scaling group uses it.
// - The value may be a JSON boolean or the string "true" (any case).
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& lc) {
  const json::Value v = lc.Config().Get("associatePublicIpAddress");
  const bool on = v.Bool().value_or(ToLower(Trim(v.AsText())) == "true");
  if (on) return Verdict::NonCompliant("associatePublicIpAddress is true");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "AUTOSCALING_LAUNCH_CONFIG_PUBLIC_IP_DISABLED",
    .resource_types = {"AWS::AutoScaling::LaunchConfiguration"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
