// EIP_ATTACHED (eip-attached): every Elastic IP address allocated to the account must be attached
// to an EC2 instance or to an in-use elastic network interface (ENI). NON_COMPLIANT otherwise.
//
// Data: the EIP CI's `instanceId` and `networkInterfaceId`. An EIP associated with a network
// interface but no instance (a NAT gateway's, a load balancer's, a detached ENI) is attached when
// that interface's status is "in-use", read from the recorded AWS::EC2::NetworkInterface item;
// without it there is no verdict.
//
// Choices where AWS's page is silent:
// - An EIP with an `instanceId` is attached whatever the instance's state.
// - An interface owned by another account (`networkInterfaceOwnerId`) cannot be read and counts as
//   in use.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kEni = "AWS::EC2::NetworkInterface";

std::string_view Field(json::Value config, std::string_view key) {
  return Trim(config.Get(key).String().value_or(""));
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& eip) {
  const json::Value config = eip.Config();
  if (const std::string_view instance = Field(config, "instanceId"); !instance.empty())
    return Verdict::Compliant("attached to " + std::string(instance));
  const std::string_view eni_id = Field(config, "networkInterfaceId");
  if (eni_id.empty()) return Verdict::NonCompliant("Elastic IP is not attached");
  const std::string_view owner = Field(config, "networkInterfaceOwnerId");
  if (!owner.empty() && owner != eip.account_id)
    return Verdict::Compliant("attached to " + std::string(eni_id) + " of account " +
                              std::string(owner));

  bool known = false;
  const auto enis = ctx.env().Items(kEni, eip.account_id, eip.region, &known);
  for (const model::ConfigurationItem* eni : enis) {
    std::string_view id = eni->Config().Get("networkInterfaceId").String().value_or("");
    if (id.empty()) id = eni->resource_id;
    if (id != eni_id) continue;
    const std::string status = ToLower(Trim(eni->Config().Get("status").String().value_or("")));
    if (status == "in-use") return Verdict::Compliant("attached to " + std::string(eni_id));
    return Verdict::NonCompliant("attached to " + std::string(eni_id) + ", whose status is " +
                                 (status.empty() ? "not recorded" : status));
  }
  return Verdict::MissingFact(
      std::string(kEni), known ? "network interface " + std::string(eni_id) + " is not recorded"
                               : "network interfaces of " + std::string(eip.account_id) + "/" +
                                     std::string(eip.region) +
                                     " are not recorded: record AWS::EC2::NetworkInterface");
}

const ManagedRule kRule{{
    .identifier = "EIP_ATTACHED",
    .resource_types = {"AWS::EC2::EIP"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
    .context_types = {"AWS::EC2::NetworkInterface"},
}};

}  // namespace
}  // namespace vigil::rules
