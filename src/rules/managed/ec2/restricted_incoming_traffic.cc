// RESTRICTED_INCOMING_TRAFFIC (restricted-common-ports): no ingress rule of a security group may
// admit TCP traffic to a blocked port from every address: a source of 0.0.0.0/0 or ::/0 on a
// blocked port is NON_COMPLIANT; sources that are single addresses or narrower CIDRs, and ports
// with no world-open TCP rule, are COMPLIANT. The blocked ports are blockedPort1..blockedPort5
// (defaults 20, 21, 3389, 3306, 4333) and the list blockedPorts.
//
// Choices where AWS's page is silent:
// - blockedPorts adds to blockedPort1..5 (each of which keeps its default when not given); it does
//   not replace them.
// - A blocked port (in either form) that is not a port number 0-65535 makes the rule fail for every
// group (no
//   verdict, as AWS's rule errors on malformed input): reported as missing "rule-error".
// - Every group is evaluated, whether or not it is attached to anything ("in use" is not checked:
//   the CI does not say).
// - Only ingress (`ipPermissions`) is examined; protocol "-1"/"all" admits every TCP port whatever
//   its port fields say (EC2 ignores them). UDP rules are not TCP traffic and are ignored.
// - Any CIDR with prefix length 0 is "all addresses"; sources that are security groups or prefix
//   lists are restricted sources.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kSingleParams[] = {"blockedPort1", "blockedPort2", "blockedPort3",
                                              "blockedPort4", "blockedPort5"};

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& group) {
  std::vector<std::int64_t> blocked;
  for (std::string_view name : kSingleParams) {
    auto p = ctx.IntParam(name);
    if (!p) continue;
    if (*p < 0 || *p > 65535)
      return Verdict::MissingFact("rule-error", "parameter " + std::string(name) + ": " +
                                                    std::to_string(*p) + " is not a port 0-65535");
    blocked.push_back(*p);
  }
  for (std::string_view entry : ctx.CsvParam("blockedPorts")) {
    auto ranges = ec2::ParsePortRanges(entry);
    if (!ranges || ranges->size() != 1 || ranges->front().from != ranges->front().to)
      return Verdict::MissingFact("rule-error", "parameter blockedPorts: '" + std::string(entry) +
                                                    "' is not a port number 0-65535");
    blocked.push_back(ranges->front().from);
  }
  std::sort(blocked.begin(), blocked.end());
  blocked.erase(std::unique(blocked.begin(), blocked.end()), blocked.end());

  std::vector<std::int64_t> open_ports;
  std::vector<std::string_view> cidrs;
  for (json::Value permission : group.Config().Get("ipPermissions").Elements()) {
    const std::vector<std::string_view> world = ec2::WorldOpenCidrs(permission);
    if (world.empty()) continue;
    bool hit = false;
    for (std::int64_t port : blocked) {
      if (!ec2::CoversPort(permission, static_cast<int>(port))) continue;
      hit = true;
      if (std::find(open_ports.begin(), open_ports.end(), port) == open_ports.end())
        open_ports.push_back(port);
    }
    if (!hit) continue;
    for (std::string_view c : world)
      if (std::find(cidrs.begin(), cidrs.end(), c) == cidrs.end()) cidrs.push_back(c);
  }
  if (open_ports.empty()) return Verdict::Compliant();
  std::sort(open_ports.begin(), open_ports.end());
  std::string ports;
  for (std::int64_t p : open_ports) ports += (ports.empty() ? "" : ", ") + std::to_string(p);
  std::string sources;
  for (std::string_view c : cidrs) sources += (sources.empty() ? "" : ", ") + std::string(c);
  return Verdict::NonCompliant(
      TruncateUtf8("blocked TCP port(s) " + ports + " open to " + sources, 256));
}

const ManagedRule kRule{{
    .identifier = "RESTRICTED_INCOMING_TRAFFIC",
    .resource_types = {"AWS::EC2::SecurityGroup"},
    .trigger = Trigger::kBoth,
    .parameters =
        {{.name = "blockedPort1", .type = ParamType::kInt, .default_value = "20", .optional = true},
         {.name = "blockedPort2", .type = ParamType::kInt, .default_value = "21", .optional = true},
         {.name = "blockedPort3",
          .type = ParamType::kInt,
          .default_value = "3389",
          .optional = true},
         {.name = "blockedPort4",
          .type = ParamType::kInt,
          .default_value = "3306",
          .optional = true},
         {.name = "blockedPort5",
          .type = ParamType::kInt,
          .default_value = "4333",
          .optional = true},
         {.name = "blockedPorts", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
