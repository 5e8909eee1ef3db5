#include "rules/managed/ec2/ec2_util.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>

#include "common/strings.h"

namespace vigil::rules::ec2 {

namespace {

constexpr int kMinPort = 0;
constexpr int kMaxPort = 65535;

// CIs record ports as numbers; the API spelling decoded from a JSON string may still carry them
// as strings, so both are read.
std::optional<std::int64_t> PortField(json::Value v) {
  if (auto i = v.Int()) return *i;
  if (auto s = v.String()) {
    const std::string_view t = Trim(*s);
    std::int64_t out = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    if (ec == std::errc() && end == t.data() + t.size()) return out;
  }
  return std::nullopt;
}

void AddCidr(std::vector<std::string_view>& out, std::string_view cidr) {
  if (!IsWorldCidr(cidr)) return;
  if (std::find(out.begin(), out.end(), cidr) == out.end()) out.push_back(cidr);
}

std::string_view StripKeyPrefix(std::string_view s) {
  // "arn:aws:kms:us-east-1:111122223333:key/<id>" -> "<id>"; a bare ID is returned unchanged.
  if (!StartsWith(s, "arn:")) return s;
  const size_t slash = s.find(":key/");
  if (slash == std::string_view::npos) return {};
  return s.substr(slash + 5);
}

}  // namespace

bool CoversPort(json::Value permission, int port, IpProtocol protocol) {
  const std::string proto = ToLower(Trim(permission.Get("ipProtocol").AsText()));
  if (proto == "-1" || proto == "all") return true;
  const bool matches = protocol == IpProtocol::kTcp ? (proto == "tcp" || proto == "6")
                                                    : (proto == "udp" || proto == "17");
  if (!matches) return false;
  std::int64_t from = PortField(permission.Get("fromPort")).value_or(-1);
  std::int64_t to = PortField(permission.Get("toPort")).value_or(-1);
  if (from < kMinPort) from = kMinPort;
  if (to < kMinPort) to = kMaxPort;
  return from <= port && port <= to;
}

bool IsWorldCidr(std::string_view cidr) {
  cidr = Trim(cidr);
  const size_t slash = cidr.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  const std::string_view prefix = cidr.substr(slash + 1);
  return !prefix.empty() && prefix.find_first_not_of('0') == std::string_view::npos;
}

std::vector<std::string_view> WorldOpenCidrs(json::Value permission) {
  std::vector<std::string_view> out;
  for (json::Value r : permission.Get("ipv4Ranges").Elements())
    if (auto s = r.Get("cidrIp").String()) AddCidr(out, *s);
  for (json::Value r : permission.Get("ipRanges").Elements()) {
    if (auto s = r.String())
      AddCidr(out, *s);
    else if (auto c = r.Get("cidrIp").String())
      AddCidr(out, *c);
  }
  for (json::Value r : permission.Get("ipv6Ranges").Elements()) {
    if (auto s = r.Get("cidrIpv6").String())
      AddCidr(out, *s);
    else if (auto t = r.String())
      AddCidr(out, *t);
  }
  return out;
}

bool OpenToWorld(json::Value permission) { return !WorldOpenCidrs(permission).empty(); }

bool KmsKeyMatches(std::string_view wanted, std::string_view actual) {
  wanted = Trim(wanted);
  actual = Trim(actual);
  if (wanted.empty() || actual.empty()) return false;
  if (wanted == actual) return true;
  const bool wanted_arn = StartsWith(wanted, "arn:");
  const bool actual_arn = StartsWith(actual, "arn:");
  // Two ARNs name the same key only if they are equal (a key ID is unique only within an
  // account and region).
  if (wanted_arn && actual_arn) return false;
  const std::string_view a = StripKeyPrefix(wanted);
  const std::string_view b = StripKeyPrefix(actual);
  return !a.empty() && a == b;
}

}  // namespace vigil::rules::ec2
