// Shared EC2 logic for managed rules: security-group permission analysis (protocols, port
// ranges, world-open CIDRs) and KMS key matching.
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
#include <string_view>
#include <vector>

#include "json/value.h"

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

// Whether a resource encrypted with `actual` (a key ID or key ARN, as CIs record `kmsKeyId`)
// uses the key the rule parameter `wanted` names (a key ID such as
// "1234abcd-12ab-34cd-56ef-1234567890ab" or "mrk-…", or a key ARN). ARNs match ARNs exactly; a
// bare key ID matches the key ID part ("key/<id>") of an ARN. Aliases cannot be resolved without
// KMS data and match only the identical alias string.
bool KmsKeyMatches(std::string_view wanted, std::string_view actual);

}  // namespace vigil::rules::ec2
