// SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED (subnet-auto-assign-public-ip-disabled): subnets must not
// assign public IP addresses automatically. NON_COMPLIANT if the subnet's `mapPublicIpOnLaunch`
// is true, COMPLIANT otherwise.
//
// Choices where AWS's page is silent:
// - Only IPv4 is checked (`mapPublicIpOnLaunch`); `assignIpv6AddressOnCreation` and
//   `mapCustomerOwnedIpOnLaunch` are not public IPv4 addresses and are ignored.
// - A CI without `mapPublicIpOnLaunch` is read as false, EC2's default for the attribute (AWS
//   Config records it for every subnet). The value may be a JSON boolean or the string "true".
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& subnet) {
  const json::Value v = subnet.Config().Get("mapPublicIpOnLaunch");
  const bool on = v.Bool().value_or(ToLower(Trim(v.AsText())) == "true");
  if (on) return Verdict::NonCompliant("mapPublicIpOnLaunch is true");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED",
    .resource_types = {"AWS::EC2::Subnet"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
