// EC2_INSTANCE_NO_PUBLIC_IP (ec2-instance-no-public-ip): EC2 instances must not have a public IPv4
// address. NON_COMPLIANT if the instance's CI records a public IP: `publicIpAddress`, or a
// `publicIp` in the association of one of its network interfaces or of their private addresses.
// IPv6 addresses are not checked.
//
// Choices where AWS's page is silent:
// - A terminated instance is NOT_APPLICABLE (EC2 has released its addresses).
// - An empty string is no address.
#include <string>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

std::string_view Ip(json::Value v) { return Trim(v.String().value_or("")); }

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& instance) {
  const json::Value config = instance.Config();
  if (auto skip = ec2::NotApplicableIfTerminated(config)) return *skip;
  std::string_view ip = Ip(config.Get("publicIpAddress"));
  for (json::Value eni : config.Get("networkInterfaces").Elements()) {
    if (ip.empty()) ip = Ip(eni.Get("association").Get("publicIp"));
    for (json::Value addr : eni.Get("privateIpAddresses").Elements())
      if (ip.empty()) ip = Ip(addr.Get("association").Get("publicIp"));
  }
  if (ip.empty()) return Verdict::Compliant();
  return Verdict::NonCompliant("instance has public IP " + std::string(ip));
}

const ManagedRule kRule{{
    .identifier = "EC2_INSTANCE_NO_PUBLIC_IP",
    .resource_types = {"AWS::EC2::Instance"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
