// NACL_NO_UNRESTRICTED_SSH_RDP (nacl-no-unrestricted-ssh-rdp): no inbound entry of a network ACL
// may allow TCP or UDP traffic to port 22 (SSH) or 3389 (RDP) from an unrestricted source. The
// rule is NON_COMPLIANT if an inbound "allow" entry whose source CIDR is 0.0.0.0/0 or ::/0 admits
// TCP or UDP to port 22 or 3389.
//
// Choices where AWS's page is silent:
// - "Unrestricted" means a source CIDR with prefix length 0 (`cidrBlock` 0.0.0.0/0 or
//   `ipv6CidrBlock` ::/0), as Security Hub's EC2.21 control, which runs this rule, describes it.
// - An entry of protocol "-1" (all) admits every port; a TCP ("6") or UDP ("17") entry admits its
//   `portRange` (a missing bound is the open end).
// - Entries are judged one by one, as AWS's page does ("an inbound entry allows"): a lower-numbered
//   deny entry does not excuse a later allow entry. So the default network ACL (rule 100 allows
//   all traffic from 0.0.0.0/0) is NON_COMPLIANT.
#include <cstdint>
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr int kPorts[] = {22, 3389};

bool Truthy(json::Value v) {
  if (auto b = v.Bool()) return *b;
  return ToLower(Trim(v.AsText())) == "true";
}

// The port range the entry admits for TCP or UDP, or false if it admits neither.
bool EntryPorts(json::Value entry, std::int64_t& from, std::int64_t& to) {
  const std::string proto = ToLower(Trim(entry.Get("protocol").AsText()));
  from = 0;
  to = 65535;
  if (proto == "-1" || proto == "all") return true;
  if (proto != "6" && proto != "17" && proto != "tcp" && proto != "udp") return false;
  const json::Value range = entry.Get("portRange");
  if (auto f = range.Get("from").Int(); f && *f >= 0) from = *f;
  if (auto t = range.Get("to").Int(); t && *t >= 0) to = *t;
  return true;
}

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& acl) {
  std::vector<std::string> hits;
  for (json::Value entry : acl.Config().Get("entries").Elements()) {
    if (Truthy(entry.Get("egress"))) continue;
    if (ToLower(Trim(entry.Get("ruleAction").AsText())) != "allow") continue;
    std::string_view source;
    for (const char* key : {"cidrBlock", "ipv6CidrBlock"})
      if (auto c = entry.Get(key).String(); c && ec2::IsWorldCidr(*c)) source = *c;
    if (source.empty()) continue;
    std::int64_t from = 0, to = 0;
    if (!EntryPorts(entry, from, to)) continue;
    for (int port : kPorts) {
      if (port < from || port > to) continue;
      hits.push_back("rule " + entry.Get("ruleNumber").AsText() + " allows port " +
                     std::to_string(port) + " from " + std::string(source));
    }
  }
  if (hits.empty()) return Verdict::Compliant();
  std::string list;
  for (const std::string& h : hits) list += (list.empty() ? "" : "; ") + h;
  return Verdict::NonCompliant(TruncateUtf8("inbound " + list, 256));
}

const ManagedRule kRule{{
    .identifier = "NACL_NO_UNRESTRICTED_SSH_RDP",
    .resource_types = {"AWS::EC2::NetworkAcl"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
