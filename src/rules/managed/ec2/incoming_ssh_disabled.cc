// INCOMING_SSH_DISABLED (restricted-ssh): no ingress rule of a security group may admit SSH
// (TCP 22) from 0.0.0.0/0 or ::/0.
//
// Choices where AWS's page is silent:
// - Only ingress (`ipPermissions`) is examined; protocol "-1"/"all" admits port 22 whatever its
//   port fields say, as EC2 ignores them.
// - Any CIDR with prefix length 0 counts as "0.0.0.0/0 or ::/0" (EC2 normalises such spellings).
// - Sources other than CIDRs (security-group pairs, prefix lists) are restricted sources.
// - UDP 22 is not SSH and is not reported.
#include <algorithm>
#include <string>
#include <vector>

#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr int kSshPort = 22;

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& group) {
  std::vector<std::string_view> open;
  for (json::Value permission : group.Config().Get("ipPermissions").Elements()) {
    if (!ec2::CoversPort(permission, kSshPort)) continue;
    for (std::string_view cidr : ec2::WorldOpenCidrs(permission))
      if (std::find(open.begin(), open.end(), cidr) == open.end()) open.push_back(cidr);
  }
  if (open.empty()) return Verdict::Compliant();
  std::string list;
  for (std::string_view cidr : open) list += (list.empty() ? "" : ", ") + std::string(cidr);
  return Verdict::NonCompliant("SSH (TCP 22) is open to " + list);
}

const ManagedRule kRule{{
    .identifier = "INCOMING_SSH_DISABLED",
    .resource_types = {"AWS::EC2::SecurityGroup"},
    .trigger = Trigger::kBoth,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
