// ALB_WAF_ENABLED (alb-waf-enabled): an Application Load Balancer must be protected by an AWS WAF
// web ACL. AWS: NON_COMPLIANT if "waf.enabled" is false; with `wafWebAclIds` (web ACL IDs for WAF
// Classic, web ACL ARNs for WAFV2), the associated web ACL must be one of them.
//
// The web ACL association is not in the load balancer CI. vigil reads:
// - the keyed fact "wafv2-get-web-acl-for-resource" (`aws wafv2 get-web-acl-for-resource
//   --resource-arn KEY`, keyed by load balancer ARN): `{"WebACL": {"ARN", "Id", "Name", ...}}`,
//   or `{}` when no WAFV2 web ACL is associated;
// - recorded AWS::WAFRegional::WebACL CIs (WAF Classic), whose
//   `configuration.associationList[].resourceARN` lists the resources they protect;
// - an attribute "waf.enabled" in supplementaryConfiguration.LoadBalancerAttributes, should the
//   CI carry one.
//
// Choices where AWS's page is silent:
// - Network and Gateway Load Balancers are NOT_APPLICABLE (WAF protects only ALBs); a CI without
//   a type is treated as an ALB.
// - WAF Classic associations count only when AWS::WAFRegional::WebACL is recorded; WAF Classic
//   is retired, so its absence from the recording does not block a verdict.
// - Without the WAFV2 fact for the load balancer, a verdict is still given when the other sources
//   settle it: a WAF Classic web ACL that satisfies the parameter (COMPLIANT), or "waf.enabled"
//   recorded as false (NON_COMPLIANT) or as true with no parameter (COMPLIANT). Otherwise
//   MISSING_FACT.
// - `wafWebAclIds` entries match a WAFV2 web ACL by ARN or ID and a WAF Classic web ACL by ID
//   (or ARN), exactly.
#include <algorithm>
#include <string>
#include <vector>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/managed/elbv2/elbv2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kFact = "wafv2-get-web-acl-for-resource";

const model::FactKindRegistration kWebAclForResource{{
    .name = "wafv2-get-web-acl-for-resource",
    .command = "aws wafv2 get-web-acl-for-resource --region REGION --resource-arn KEY",
    .global = false,
    .keys_from = "elbv2-describe-load-balancers:LoadBalancers[].LoadBalancerArn",
    .answer_errors = "WAFNonexistentItemException,WAFInvalidParameterException",
    .description = "the WAFV2 web ACL protecting each load balancer ({} when none)",
}};

struct WebAcl {
  std::string_view id;
  std::string_view arn;
  std::string_view kind;  // "WAFV2" or "WAF Classic"
};

bool Matches(const WebAcl& acl, const std::vector<std::string_view>& wanted) {
  return std::any_of(wanted.begin(), wanted.end(), [&](std::string_view w) {
    return (!acl.id.empty() && w == acl.id) || (!acl.arn.empty() && w == acl.arn);
  });
}

// WAF Classic web ACLs recorded as protecting `lb_arn`.
std::vector<WebAcl> ClassicAcls(const RuleContext& ctx, const model::ConfigurationItem& lb,
                                std::string_view lb_arn) {
  std::vector<WebAcl> out;
  bool known = false;
  for (const model::ConfigurationItem* acl :
       ctx.env().Items("AWS::WAFRegional::WebACL", lb.account_id, lb.region, &known)) {
    const json::Value c = acl->Config();
    for (const json::Value a : c.Get("associationList").Elements()) {
      const std::string_view arn = a.IsString()
                                       ? a.String().value_or("")
                                       : PascalOrCamel(a, "ResourceARN").String().value_or("");
      if (arn != lb_arn) continue;
      std::string_view id = c.Get("webACLId").String().value_or("");
      if (id.empty()) id = acl->resource_id;
      out.push_back({id, acl->arn, "WAF Classic"});
      break;
    }
  }
  return out;
}

std::string Describe(const std::vector<WebAcl>& acls) {
  std::string s;
  for (const WebAcl& a : acls)
    s += (s.empty() ? "" : ", ") + std::string(a.kind) + " " +
         std::string(a.arn.empty() ? a.id : a.arn);
  return s;
}

Verdict Decide(const std::vector<WebAcl>& acls, const std::vector<std::string_view>& wanted) {
  if (acls.empty()) return Verdict::NonCompliant("no AWS WAF web ACL is associated");
  if (wanted.empty()) return Verdict::Compliant();
  for (const WebAcl& a : acls)
    if (Matches(a, wanted)) return Verdict::Compliant();
  return Verdict::NonCompliant(
      TruncateUtf8("associated web ACL is not in wafWebAclIds: " + Describe(acls), 256));
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& lb) {
  if (auto skip = elbv2::NotAnApplicationLoadBalancer(lb)) return *skip;
  const std::string_view lb_arn = elbv2::LoadBalancerArn(lb);
  const auto wanted = ctx.CsvParam("wafWebAclIds");

  std::vector<WebAcl> acls = ClassicAcls(ctx, lb, lb_arn);
  const json::Value entry = ctx.Fact(kFact, lb).Get(lb_arn);
  if (!entry.Missing()) {
    const json::Value acl = entry.Get("WebACL");
    if (acl.IsObject())
      acls.push_back(
          {acl.Get("Id").String().value_or(""), acl.Get("ARN").String().value_or(""), "WAFV2"});
    return Decide(acls, wanted);
  }

  // No WAFV2 answer for this load balancer: decide only if the other sources settle it.
  for (const WebAcl& a : acls)
    if (wanted.empty() || Matches(a, wanted)) return Verdict::Compliant();
  if (const auto waf = elbv2::LoadBalancerAttributes(lb).Get("waf.enabled")) {
    if (!elbv2::EqualsIgnoreCase(Trim(*waf), "true"))
      return Verdict::NonCompliant("waf.enabled is " + std::string(*waf));
    if (wanted.empty()) return Verdict::Compliant();
  }
  return Verdict::MissingFact(
      std::string(kFact), TruncateUtf8("the WAFV2 web ACL of " + std::string(lb_arn) +
                                           " is unknown: collect wafv2-get-web-acl-for-resource",
                                       256));
}

const ManagedRule kRule{{
    .identifier = "ALB_WAF_ENABLED",
    .resource_types = {"AWS::ElasticLoadBalancingV2::LoadBalancer"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "wafWebAclIds", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
    .facts = {"wafv2-get-web-acl-for-resource"},
    .context_types = {"AWS::WAFRegional::WebACL"},
}};

}  // namespace
}  // namespace vigil::rules
