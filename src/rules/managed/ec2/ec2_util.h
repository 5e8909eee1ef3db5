// Shared EC2 logic for managed rules: security-group permission analysis (protocols, port
// ranges, world-open CIDRs), port lists as rule parameters spell them, instance state, and KMS
// key matching.
//
// A "permission" is one element of a security group CI's `configuration.ipPermissions` (or
// `ipPermissionsEgress`), as AWS Config records it:
//
//     {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
//      "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}], "ipRanges": ["0.0.0.0/0"],
//      "ipv6Ranges": [{"cidrIpv6": "::/0"}], "userIdGroupPairs": [], "prefixListIds": []}
//
// Older CIs carry only the legacy `ipRanges` list of strings; newer ones carry both spellings.
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json/value.h"
#include "rules/rule.h"

namespace vigil::rules::ec2 {

enum class IpProtocol : std::uint8_t { kTcp, kUdp };

// True if the permission admits traffic of `protocol` to `port`. A permission of protocol "-1"
// or "all" admits every protocol and port, whatever its port fields say (EC2 ignores them). For
// "tcp"/"6" and "udp"/"17" the range fromPort..toPort must contain `port`; a missing bound or
// -1 is taken as the open end (0 or 65535). Protocol names are compared case-insensitively.
bool CoversPort(json::Value permission, int port, IpProtocol protocol = IpProtocol::kTcp);

// True if `cidr` is the whole IPv4 or IPv6 address space: any CIDR with prefix length 0
// ("0.0.0.0/0", "::/0", and non-canonical spellings such as "::0/0" that EC2 normalises).
bool IsWorldCidr(std::string_view cidr);

// The CIDRs of the permission that are open to the world, from `ipv4Ranges[].cidrIp`, the legacy
// `ipRanges` (strings, or objects with `cidrIp`) and `ipv6Ranges[].cidrIpv6`, without duplicates.
// Views point into the permission's document.
std::vector<std::string_view> WorldOpenCidrs(json::Value permission);

// True if any source CIDR of the permission is open to the world.
bool OpenToWorld(json::Value permission);

// An inclusive range of ports.
struct PortRange {
  int from = 0;
  int to = 65535;
  friend bool operator==(const PortRange&, const PortRange&) = default;
};

// True if the permission is of protocol "-1" or "all" (every protocol and port).
bool AllProtocols(json::Value permission);

// The ports of `protocol` the permission admits, read as CoversPort reads them: nullopt if the
// permission is of another protocol; 0-65535 for protocol "-1"/"all"; a missing bound or -1 is
// the open end.
std::optional<PortRange> PermissionPorts(json::Value permission,
                                         IpProtocol protocol = IpProtocol::kTcp);

// Parses a port list as AWS's rule parameters spell it: comma-separated ports and dash ranges,
// "443,1020-1025" (spaces around entries allowed; empty entries ignored). nullopt if an entry is
// not a port 0-65535 or a range whose start exceeds its end.
std::optional<std::vector<PortRange>> ParsePortRanges(std::string_view list);

// True if every port of `range` lies in the union of `allowed`.
bool RangeCovered(PortRange range, const std::vector<PortRange>& allowed);

// "22" or "1020-1025".
std::string FormatPortRange(PortRange range);

// The state name of an AWS::EC2::Instance CI (`configuration.state.name`, lower-cased: "running",
// "stopped", "terminated", ...); "" when not recorded.
std::string InstanceStateName(json::Value instance_config);

// For the instance rules that do not judge terminated instances: NOT_APPLICABLE ("instance is
// terminated") when the CI's state is terminated; nullopt otherwise.
std::optional<Verdict> NotApplicableIfTerminated(json::Value instance_config);

// Whether a resource encrypted with `actual` (a key ID or key ARN, as CIs record `kmsKeyId`)
// uses the key the rule parameter `wanted` names (a key ID such as
// "1234abcd-12ab-34cd-56ef-1234567890ab" or "mrk-…", or a key ARN). ARNs match ARNs exactly; a
// bare key ID matches the key ID part ("key/<id>") of an ARN. Aliases cannot be resolved without
// KMS data and match only the identical alias string.
bool KmsKeyMatches(std::string_view wanted, std::string_view actual);

}  // namespace vigil::rules::ec2
