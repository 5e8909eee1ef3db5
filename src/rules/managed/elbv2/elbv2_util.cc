#include "rules/managed/elbv2/elbv2_util.h"

#include <cctype>

#include "common/strings.h"
#include "model/facts.h"

namespace vigil::rules::elbv2 {
namespace {

const model::FactKindRegistration kDescribeLoadBalancers{{
    .name = "elbv2-describe-load-balancers",
    .command = "aws elbv2 describe-load-balancers --region REGION",
    .global = false,
    .description = "Application, Network and Gateway Load Balancers (the keys of the elbv2 and "
                   "WAF keyed facts)",
}};

const model::FactKindRegistration kDescribeListeners{{
    .name = "elbv2-describe-listeners",
    .command = "aws elbv2 describe-listeners --region REGION --load-balancer-arn KEY",
    .global = false,
    .keys_from = "elbv2-describe-load-balancers:LoadBalancers[].LoadBalancerArn",
    .answer_errors = "LoadBalancerNotFound",
    .description = "the listeners of each load balancer (protocol, default actions, "
                   "certificates), when AWS::ElasticLoadBalancingV2::Listener is not recorded",
}};

Listener FromJson(const json::Value& v) {
  Listener l;
  l.arn = PascalOrCamel(v, "ListenerArn").String().value_or("");
  l.protocol = PascalOrCamel(v, "Protocol").String().value_or("");
  l.port = PascalOrCamel(v, "Port").Int();
  l.default_actions = PascalOrCamel(v, "DefaultActions");
  l.certificates = PascalOrCamel(v, "Certificates");
  return l;
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string LoadBalancerKind(const model::ConfigurationItem& lb) {
  return ToLower(Trim(lb.Config().Get("type").String().value_or("")));
}

std::optional<Verdict> NotAnApplicationLoadBalancer(const model::ConfigurationItem& lb) {
  const std::string kind = LoadBalancerKind(lb);
  if (!kind.empty() && kind != "application")
    return Verdict::NotApplicable("not an Application Load Balancer (type " + kind + ")");
  return std::nullopt;
}

std::string_view LoadBalancerArn(const model::ConfigurationItem& lb) {
  if (auto arn = lb.Config().Get("loadBalancerArn").String(); arn && !arn->empty()) return *arn;
  if (!lb.arn.empty()) return lb.arn;
  return lb.resource_id;
}

std::optional<std::string_view> Attributes::Get(std::string_view key) const {
  for (const auto& [k, v] : entries)
    if (k == key) return v;
  return std::nullopt;
}

Attributes LoadBalancerAttributes(const model::ConfigurationItem& lb) {
  Attributes out;
  const json::Value list = lb.Supplementary("LoadBalancerAttributes");
  if (!list.IsArray()) return out;
  out.known = true;
  for (const json::Value a : list.Elements()) {
    const auto key = PascalOrCamel(a, "Key").String();
    if (!key) continue;
    const json::Value value = PascalOrCamel(a, "Value");
    // Values are strings; a boolean or number spelled as JSON is kept by its text only when it
    // is a string (views must point into the document).
    out.entries.emplace_back(
        *key, value.String().value_or(value.IsBool() ? (*value.Bool() ? "true" : "false") : ""));
  }
  return out;
}

std::optional<Attributes> RecordedAttributes(const model::ConfigurationItem& lb, Verdict* missing) {
  Attributes attrs = LoadBalancerAttributes(lb);
  if (attrs.known) return attrs;
  *missing = Verdict::MissingFact(std::string(lb.resource_type),
                                  "the configuration item has no "
                                  "supplementaryConfiguration.LoadBalancerAttributes");
  return std::nullopt;
}

ListenerSource CollectListeners(const RuleContext& ctx, const model::ConfigurationItem& lb,
                                std::vector<Listener>& out) {
  const std::string_view lb_arn = LoadBalancerArn(lb);
  const json::Value entry = ctx.Fact(kListenersFact, lb).Get(lb_arn);
  if (!entry.Missing()) {
    for (const json::Value l : entry.Get("Listeners").Elements()) out.push_back(FromJson(l));
    return ListenerSource::kFact;
  }
  bool known = false;
  const auto items = ctx.env().Items(kListenerType, lb.account_id, lb.region, &known);
  if (!known) return ListenerSource::kUnknown;
  for (const model::ConfigurationItem* item : items) {
    const json::Value c = item->Config();
    if (PascalOrCamel(c, "LoadBalancerArn").String().value_or("") != lb_arn) continue;
    Listener l = FromJson(c);
    if (l.arn.empty()) l.arn = item->arn.empty() ? item->resource_id : item->arn;
    out.push_back(l);
  }
  return ListenerSource::kRecordedItems;
}

Verdict ListenersMissing(const model::ConfigurationItem& lb) {
  return Verdict::MissingFact(
      std::string(kListenersFact),
      TruncateUtf8("the listeners of " + std::string(LoadBalancerArn(lb)) +
                       " are unknown: collect elbv2-describe-listeners or record "
                       "AWS::ElasticLoadBalancingV2::Listener",
                   256));
}

}  // namespace vigil::rules::elbv2
