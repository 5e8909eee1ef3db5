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

bool AllProtocols(json::Value permission) {
  const std::string proto = ToLower(Trim(permission.Get("ipProtocol").AsText()));
  return proto == "-1" || proto == "all";
}

std::optional<PortRange> PermissionPorts(json::Value permission, IpProtocol protocol) {
  if (AllProtocols(permission)) return PortRange{kMinPort, kMaxPort};
  const std::string proto = ToLower(Trim(permission.Get("ipProtocol").AsText()));
  const bool matches = protocol == IpProtocol::kTcp ? (proto == "tcp" || proto == "6")
                                                    : (proto == "udp" || proto == "17");
  if (!matches) return std::nullopt;
  std::int64_t from = PortField(permission.Get("fromPort")).value_or(-1);
  std::int64_t to = PortField(permission.Get("toPort")).value_or(-1);
  if (from < kMinPort) from = kMinPort;
  if (to < kMinPort || to > kMaxPort) to = kMaxPort;
  if (from > kMaxPort) from = kMaxPort;
  return PortRange{static_cast<int>(from), static_cast<int>(to)};
}

std::optional<std::vector<PortRange>> ParsePortRanges(std::string_view list) {
  auto port = [](std::string_view t) -> std::optional<int> {
    t = Trim(t);
    int out = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    if (t.empty() || ec != std::errc() || end != t.data() + t.size() || out < kMinPort ||
        out > kMaxPort)
      return std::nullopt;
    return out;
  };
  std::vector<PortRange> out;
  for (std::string_view entry : Split(list, ',')) {
    entry = Trim(entry);
    if (entry.empty()) continue;
    const size_t dash = entry.find('-');
    auto from = port(entry.substr(0, dash));
    auto to = dash == std::string_view::npos ? from : port(entry.substr(dash + 1));
    if (!from || !to || *from > *to) return std::nullopt;
    out.push_back({*from, *to});
  }
  return out;
}

bool RangeCovered(PortRange range, const std::vector<PortRange>& allowed) {
  std::vector<PortRange> sorted = allowed;
  std::sort(sorted.begin(), sorted.end(),
            [](const PortRange& a, const PortRange& b) { return a.from < b.from; });
  std::int64_t next = range.from;  // the first port not yet known to be covered
  for (const PortRange& a : sorted) {
    if (a.from > next) break;
    if (a.to >= next) next = static_cast<std::int64_t>(a.to) + 1;
    if (next > range.to) return true;
  }
  return next > range.to;
}

std::string FormatPortRange(PortRange range) {
  if (range.from == range.to) return std::to_string(range.from);
  return std::to_string(range.from) + "-" + std::to_string(range.to);
}

std::string InstanceStateName(json::Value instance_config) {
  const json::Value state = instance_config.Get("state");
  if (auto name = state.Get("name").String()) return ToLower(Trim(*name));
  if (auto name = state.String()) return ToLower(Trim(*name));
  return {};
}

std::optional<Verdict> NotApplicableIfTerminated(json::Value instance_config) {
  if (InstanceStateName(instance_config) == "terminated")
    return Verdict::NotApplicable("instance is terminated");
  return std::nullopt;
}

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
