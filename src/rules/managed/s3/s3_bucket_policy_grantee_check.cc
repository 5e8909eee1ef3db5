// S3_BUCKET_POLICY_GRANTEE_CHECK (s3-bucket-policy-grantee-check): the access the bucket policy
// grants must be restricted to the AWS principals, service principals, federated users, IP
// addresses or VPCs given in the parameters; COMPLIANT when there is no bucket policy. AWS's
// example: with awsPrincipals "111122223333, 444455556666", a policy granting only 111122223333, or
// both, is COMPLIANT; one granting 999900009999 is NON_COMPLIANT. "If a bucket policy contains
// more than one statement, each statement in the bucket policy is evaluated against this rule."
// awsPrincipals takes full ARNs or partial matches ("arn:aws:iam::111122223333:role/*"); a
// principal that matches none of them is NON_COMPLIANT. AWS also documents that a policy with more
// than five IAM policy variables in one value cannot be evaluated and is NON_COMPLIANT.
//
// Data: supplementaryConfiguration.BucketPolicy (read by s3::ParsePolicyJson in any form AWS Config
// records it; none, or one that cannot be parsed, is COMPLIANT).
//
// Choices where AWS's page is silent:
// - Each Allow statement must be restricted by one of the parameters ("any of"): all of its
//   principals are listed (AWS principals in awsPrincipals, Service in servicePrincipals,
//   Federated in federatedUsers), or its Condition limits aws:SourceIp with IpAddress to CIDRs
//   inside the ipAddresses, or limits aws:SourceVpc with StringEquals to vpcIds. Deny statements
//   grant nothing and are not checked.
// - An account ID in awsPrincipals matches the account ID and the account's root ARN
//   ("arn:aws:iam::111122223333:root"), and either spelling in the policy; other entries match a
//   principal that equals them or fits them with wildcards.
// - "*", {"AWS": "*"}, NotPrincipal, canonical-user principals and a missing Principal are never
//   restricted by principal. With no parameters at all, every Allow statement is unrestricted.
// - An address without a prefix length is a single host (/32 or /128).
#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/s3/s3_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

struct Cidr {
  bool v6 = false;
  std::array<unsigned char, 16> bytes{};
  int bits = 0;
};

std::optional<Cidr> ParseCidr(std::string_view text) {
  text = Trim(text);
  const size_t slash = text.find('/');
  const std::string addr(text.substr(0, slash));
  Cidr c;
  c.v6 = addr.find(':') != std::string::npos;
  if (inet_pton(c.v6 ? AF_INET6 : AF_INET, addr.c_str(), c.bytes.data()) != 1) return std::nullopt;
  const int max_bits = c.v6 ? 128 : 32;
  c.bits = max_bits;
  if (slash != std::string_view::npos) {
    const std::string_view len = text.substr(slash + 1);
    if (len.empty() || len.size() > 3 ||
        !std::all_of(len.begin(), len.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
      return std::nullopt;
    c.bits = std::stoi(std::string(len));
    if (c.bits > max_bits) return std::nullopt;
  }
  return c;
}

// Whether every address of `inner` lies in `outer`.
bool CidrContains(const Cidr& outer, const Cidr& inner) {
  if (outer.v6 != inner.v6 || outer.bits > inner.bits) return false;
  for (int i = 0; i < outer.bits; ++i) {
    const int byte = i / 8, shift = 7 - i % 8;
    if (((outer.bytes[byte] >> shift) & 1) != ((inner.bytes[byte] >> shift) & 1)) return false;
  }
  return true;
}

bool IsAccountId(std::string_view s) {
  return s.size() == 12 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool AwsPrincipalListed(std::string_view principal, const std::vector<std::string_view>& listed) {
  for (std::string_view entry : listed) {
    if (entry == principal || GlobMatch(entry, principal)) return true;
    // An account ID and its root ARN name the same principal.
    const std::string account = s3::PrincipalAccount(principal);
    const bool principal_is_account = IsAccountId(principal) || EndsWith(principal, ":root");
    const bool entry_is_account = IsAccountId(entry) || EndsWith(entry, ":root");
    if (principal_is_account && entry_is_account && !account.empty() &&
        account == s3::PrincipalAccount(entry))
      return true;
  }
  return false;
}

struct Lists {
  std::vector<std::string_view> aws, services, federated, ips, vpcs;
};

bool PrincipalsRestricted(json::Value stmt, const Lists& l, std::string* who) {
  if (json::Value np = stmt.Get("NotPrincipal"); !np.Missing()) {
    *who = "NotPrincipal " + TruncateUtf8(np.ToJson(), 60);
    return false;
  }
  const std::vector<s3::PolicyPrincipal> principals = s3::PolicyPrincipals(stmt.Get("Principal"));
  if (principals.empty()) {
    *who = "no Principal";
    return false;
  }
  for (const s3::PolicyPrincipal& p : principals) {
    const std::string type = ToLower(p.type);
    bool ok = false;
    if (type == "aws") {
      ok = p.value != "*" && AwsPrincipalListed(p.value, l.aws);
    } else if (type == "service") {
      ok = std::find(l.services.begin(), l.services.end(), p.value) != l.services.end();
    } else if (type == "federated") {
      ok = std::find(l.federated.begin(), l.federated.end(), p.value) != l.federated.end();
    }
    if (!ok) {
      *who = p.type == "*" ? std::string("\"*\"") : p.type + " " + p.value;
      return false;
    }
  }
  return true;
}

bool ConditionRestricts(json::Value condition, const Lists& l) {
  std::vector<Cidr> allowed;
  for (std::string_view ip : l.ips)
    if (auto c = ParseCidr(ip)) allowed.push_back(*c);
  for (const auto& [op_name, block] : condition.Members()) {
    std::string op = ToLower(op_name);
    if (StartsWith(op, "foranyvalue:")) op = op.substr(12);
    for (const auto& [key_name, values] : block.Members()) {
      const std::string key = ToLower(key_name);
      const std::vector<std::string> vals = s3::PolicyStringValues(values);
      if (vals.empty()) continue;
      if (key == "aws:sourceip" && op == "ipaddress" && !allowed.empty()) {
        const bool inside = std::all_of(vals.begin(), vals.end(), [&](const std::string& v) {
          const std::optional<Cidr> c = ParseCidr(v);
          return c && std::any_of(allowed.begin(), allowed.end(),
                                  [&](const Cidr& a) { return CidrContains(a, *c); });
        });
        if (inside) return true;
      }
      if (key == "aws:sourcevpc" && op == "stringequals" && !l.vpcs.empty()) {
        const bool listed = std::all_of(vals.begin(), vals.end(), [&](const std::string& v) {
          return std::find(l.vpcs.begin(), l.vpcs.end(), v) != l.vpcs.end();
        });
        if (listed) return true;
      }
    }
  }
  return false;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& bucket) {
  const json::Value raw = bucket.Supplementary("BucketPolicy");
  const s3::PolicyJson policy = s3::ParsePolicyJson(raw);
  if (policy.root.Missing()) return Verdict::Compliant("the bucket has no bucket policy");
  if (s3::MaxPolicyVariablesInOneValue(raw) > 5)
    return Verdict::NonCompliant(
        "a value of the bucket policy has more than five policy variables, which the rule cannot "
        "evaluate");
  const Lists l{ctx.CsvParam("awsPrincipals"), ctx.CsvParam("servicePrincipals"),
                ctx.CsvParam("federatedUsers"), ctx.CsvParam("ipAddresses"),
                ctx.CsvParam("vpcIds")};
  const std::vector<json::Value> statements = s3::PolicyStatements(policy.root);
  for (size_t i = 0; i < statements.size(); ++i) {
    const json::Value s = statements[i];
    if (!s3::IsAllowStatement(s)) continue;
    if (ConditionRestricts(s.Get("Condition"), l)) continue;
    std::string who;
    if (PrincipalsRestricted(s, l, &who)) continue;
    const std::string label = s3::PolicyStatementLabel(s, i);
    return Verdict::NonCompliant(TruncateUtf8("bucket policy statement " + label +
                                                  " grants access to " + who +
                                                  ", which the parameters do not restrict",
                                              256));
  }
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "S3_BUCKET_POLICY_GRANTEE_CHECK",
    .resource_types = {"AWS::S3::Bucket"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "awsPrincipals", .type = ParamType::kCsv, .optional = true},
                   {.name = "servicePrincipals", .type = ParamType::kCsv, .optional = true},
                   {.name = "federatedUsers", .type = ParamType::kCsv, .optional = true},
                   {.name = "ipAddresses", .type = ParamType::kCsv, .optional = true},
                   {.name = "vpcIds", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
