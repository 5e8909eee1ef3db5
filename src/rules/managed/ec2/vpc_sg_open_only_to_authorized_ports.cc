// VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS (vpc-sg-open-only-to-authorized-ports): a security group
// whose ingress admits 0.0.0.0/0 or ::/0 may open only authorized TCP and UDP ports to them. The
// group is NON_COMPLIANT when a world-open ingress rule admits a TCP port outside
// authorizedTcpPorts or a UDP port outside authorizedUdpPorts ("443,1020-1025"), and
// NOT_APPLICABLE when no ingress rule admits 0.0.0.0/0 or ::/0.
//
// Choices where AWS's page is silent:
// - Without authorizedTcpPorts (authorizedUdpPorts) no TCP (UDP) port is authorized.
// - A world-open rule of protocol "-1"/"all" opens every TCP and UDP port, so it is compliant only
//   when both lists authorize 0-65535. World-open rules of other protocols (ICMP, ESP, ...) open
//   no TCP or UDP port and are allowed; such a group is COMPLIANT.
// - A port range in a rule must lie wholly within the authorized ports (the union of the listed
//   ports and ranges).
// - A malformed port list (an entry that is not a port 0-65535 or a range "a-b" with a <= b)
//   makes the rule fail for every group (no verdict, as AWS's rule errors on malformed input):
//   reported as missing "rule-error".
// - Any CIDR with prefix length 0 counts as 0.0.0.0/0 or ::/0; other sources are restricted.
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& group) {
  std::vector<ec2::PortRange> allowed[2];
  const std::string_view names[2] = {"authorizedTcpPorts", "authorizedUdpPorts"};
  for (int i = 0; i < 2; ++i) {
    const std::string_view text = ctx.Param(names[i]).value_or("");
    auto parsed = ec2::ParsePortRanges(text);
    if (!parsed)
      return Verdict::MissingFact("rule-error", TruncateUtf8("parameter " + std::string(names[i]) +
                                                                 ": '" + std::string(text) +
                                                                 "' is not a list of ports and "
                                                                 "ranges such as 443,1020-1025",
                                                             256));
    allowed[i] = std::move(*parsed);
  }

  bool world_open = false;
  std::vector<std::string> offending;
  for (json::Value permission : group.Config().Get("ipPermissions").Elements()) {
    const std::vector<std::string_view> world = ec2::WorldOpenCidrs(permission);
    if (world.empty()) continue;
    world_open = true;
    const ec2::IpProtocol protocols[2] = {ec2::IpProtocol::kTcp, ec2::IpProtocol::kUdp};
    for (int i = 0; i < 2; ++i) {
      auto ports = ec2::PermissionPorts(permission, protocols[i]);
      if (!ports || ec2::RangeCovered(*ports, allowed[i])) continue;
      std::string text = (i == 0 ? "TCP " : "UDP ") + ec2::FormatPortRange(*ports);
      bool seen = false;
      for (const std::string& o : offending) seen = seen || o == text;
      if (!seen) offending.push_back(std::move(text));
    }
  }
  if (!world_open) return Verdict::NotApplicable("no ingress rule admits 0.0.0.0/0 or ::/0");
  if (offending.empty()) return Verdict::Compliant();
  std::string list;
  for (const std::string& o : offending) list += (list.empty() ? "" : ", ") + o;
  return Verdict::NonCompliant(
      TruncateUtf8("unauthorized ports open to 0.0.0.0/0 or ::/0: " + list, 256));
}

const ManagedRule kRule{{
    .identifier = "VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS",
    .resource_types = {"AWS::EC2::SecurityGroup"},
    .trigger = Trigger::kBoth,
    .parameters = {{.name = "authorizedTcpPorts", .type = ParamType::kString, .optional = true},
                   {.name = "authorizedUdpPorts", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
