// LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED (lambda-function-public-access-prohibited): a Lambda
// function's resource-based policy must not allow public access. AWS: NON_COMPLIANT if the
// function policy allows public access, which it does when the principal element is empty or
// contains a wildcard ("*" or {"AWS": "*"}); also NON_COMPLIANT when the function is invoked
// from Amazon S3 and the policy lacks a condition limiting access such as AWS:SourceAccount. To
// be non-public a policy must grant access only to fixed values: values without a wildcard or an
// IAM policy variable.
//
// Data: supplementaryConfiguration.Policy of the AWS::Lambda::Function CI (the function policy,
// as GetPolicy returns it). A function without a policy grants nothing and is COMPLIANT.
//
// Choices where AWS's page is silent:
// - An Allow statement is public when its Principal is missing or empty, when any principal value
//   (a string, or any member of "AWS", "Service", "Federated", ...) is empty or contains '*', or
//   when it uses NotPrincipal.
// - Such a statement stops being public when one of its conditions pins the caller to fixed
//   values (no '*', '?' or "${...}") of aws:SourceAccount, aws:SourceOwner, aws:SourceArn (unless
//   it names an S3 bucket: bucket ARNs carry no account), aws:SourceVpc, aws:SourceVpce,
//   aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalAccount, aws:PrincipalArn or
//   aws:userid, with StringEquals[IgnoreCase], StringLike, ArnEquals or ArnLike (optionally
//   ForAnyValue:), or to non-public CIDRs of aws:SourceIp (IpAddress, s3::IsPublicCidr). Negated
//   operators, ...IfExists and ForAllValues: never pin, as they hold when the key is absent.
//   Condition keys compare ignoring case. lambda:FunctionUrlAuthType does not restrict who calls.
// - A statement for the service principal s3.amazonaws.com is NON_COMPLIANT unless a condition
//   pins aws:SourceAccount or aws:SourceOwner to fixed values (AWS's S3 case).
// - Deny statements are ignored: Lambda's AddPermission API only writes Allow statements.
#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/s3/s3_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::array<std::string_view, 11> kPinningKeys = {
    "aws:sourceaccount", "aws:sourceowner",    "aws:sourcearn",         "aws:sourcevpc",
    "aws:sourcevpce",    "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount",
    "aws:principalarn",  "aws:userid",         "aws:sourceip"};
constexpr std::array<std::string_view, 5> kPinningOperators = {
    "stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"};

bool Fixed(std::string_view v) {
  return !v.empty() && v.find('*') == std::string_view::npos &&
         v.find('?') == std::string_view::npos && v.find("${") == std::string_view::npos;
}

std::vector<std::string_view> Strings(json::Value v) {
  std::vector<std::string_view> out;
  if (auto s = v.String()) {
    out.push_back(*s);
  } else {
    for (json::Value e : v.Elements()) out.push_back(e.String().value_or(""));
  }
  return out;
}

// The condition keys (lower case) the statement pins to fixed values.
std::vector<std::string> PinnedKeys(json::Value condition) {
  std::vector<std::string> out;
  for (const json::Member block : condition.Members()) {
    std::string op = ToLower(block.key);
    if (StartsWith(op, "forallvalues:") || EndsWith(op, "ifexists")) continue;
    if (StartsWith(op, "foranyvalue:")) op = op.substr(std::string_view("foranyvalue:").size());
    for (const json::Member kv : block.value.Members()) {
      const std::string key = ToLower(kv.key);
      if (std::find(kPinningKeys.begin(), kPinningKeys.end(), key) == kPinningKeys.end()) continue;
      const std::vector<std::string_view> vals = Strings(kv.value);
      if (vals.empty()) continue;
      bool pinned;
      if (key == "aws:sourceip") {
        pinned = op == "ipaddress" && std::all_of(vals.begin(), vals.end(), [](auto v) {
                   return !v.empty() && !s3::IsPublicCidr(v);
                 });
      } else {
        pinned = std::find(kPinningOperators.begin(), kPinningOperators.end(), op) !=
                     kPinningOperators.end() &&
                 std::all_of(vals.begin(), vals.end(), [](auto v) { return Fixed(Trim(v)); });
        // An S3 bucket ARN names no account: a bucket can be deleted and re-created by anyone.
        if (pinned && key == "aws:sourcearn" && std::any_of(vals.begin(), vals.end(), [](auto v) {
              return StartsWith(Trim(v), "arn:aws:s3:::");
            }))
          pinned = false;
      }
      if (pinned) out.push_back(key);
    }
  }
  return out;
}

// Why the statement's principal is public ("Principal \"*\""), or "" if it is not.
std::string PublicPrincipal(json::Value st, bool* s3_service) {
  *s3_service = false;
  if (!st.Get("NotPrincipal").Missing()) return "NotPrincipal";
  const json::Value p = st.Get("Principal");
  if (p.Empty()) return "an empty Principal";
  if (auto s = p.String()) return Fixed(Trim(*s)) ? "" : "Principal \"" + std::string(*s) + "\"";
  for (const json::Member m : p.Members()) {
    for (std::string_view v : Strings(m.value)) {
      v = Trim(v);
      if (v.empty() || v.find('*') != std::string_view::npos)
        return "Principal {\"" + std::string(m.key) + "\": \"" + std::string(v) + "\"}";
      if (ToLower(m.key) == "service" && ToLower(v) == "s3.amazonaws.com") *s3_service = true;
    }
  }
  return "";
}

// The function policy as a JSON object, parsing it when it arrived as text (or inside GetPolicy's
// {"Policy": "..."} answer). `holder` keeps a parsed document alive.
json::Value PolicyOf(const model::ConfigurationItem& fn, std::unique_ptr<json::Document>& holder) {
  json::Value v = fn.Supplementary("Policy");
  for (int round = 0; round < 3; ++round) {
    if (v.IsObject() && v.Get("Statement").Missing()) {
      json::Value inner = v.Get("Policy");
      if (inner.Missing()) inner = v.Get("policy");
      if (!inner.Missing()) v = inner;
    }
    auto text = v.String();
    if (!text) break;
    if (Trim(*text).empty()) return {};
    auto parsed = json::Document::Parse(*text);
    if (!parsed.ok()) return {};
    holder = std::make_unique<json::Document>(std::move(parsed).value());
    v = holder->Root();
  }
  return v;
}

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& fn) {
  std::unique_ptr<json::Document> holder;
  const json::Value policy = PolicyOf(fn, holder);
  if (!policy.IsObject()) {
    if (fn.Supplementary("Policy").Empty()) return Verdict::Compliant("the function has no policy");
    return Verdict::MissingFact("AWS::Lambda::Function",
                                "supplementaryConfiguration.Policy is not a readable policy");
  }
  std::vector<json::Value> statements;
  const json::Value s = policy.Get("Statement");
  if (s.IsObject()) {
    statements.push_back(s);
  } else {
    for (json::Value e : s.Elements()) statements.push_back(e);
  }
  size_t n = 0;
  for (json::Value st : statements) {
    ++n;
    if (ToLower(st.Get("Effect").String().value_or("")) != "allow") continue;
    const std::string sid = st.Get("Sid").String()
                                ? "statement \"" + std::string(*st.Get("Sid").String()) + "\""
                                : "statement " + std::to_string(n);
    bool s3_service = false;
    const std::string who = PublicPrincipal(st, &s3_service);
    const std::vector<std::string> pinned = PinnedKeys(st.Get("Condition"));
    if (!who.empty()) {
      if (pinned.empty())
        return Verdict::NonCompliant(
            TruncateUtf8("the function policy allows " + who + " (" + sid + ")", 256));
      continue;
    }
    if (s3_service && std::none_of(pinned.begin(), pinned.end(), [](const std::string& k) {
          return k == "aws:sourceaccount" || k == "aws:sourceowner";
        }))
      return Verdict::NonCompliant(
          TruncateUtf8("the function policy lets Amazon S3 invoke the function without an "
                       "aws:SourceAccount condition (" +
                           sid + ")",
                       256));
  }
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED",
    .resource_types = {"AWS::Lambda::Function"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
