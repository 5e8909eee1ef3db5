// ELB_PREDEFINED_SECURITY_POLICY_SSL_CHECK (elb-predefined-security-policy-ssl-check): the SSL and
// HTTPS listeners of a Classic Load Balancer must use the predefined security policy
// `predefinedPolicyName`. AWS: NON_COMPLIANT if an HTTPS/SSL listener's policy does not equal the
// parameter; the rule applies only to load balancers with SSL listeners.
//
// Data: the AWS::ElasticLoadBalancing::LoadBalancer CI: configuration.listenerDescriptions[]
// (listener.protocol and the listener's policyNames) and
// supplementaryConfiguration.LoadBalancerPolicies (policyName, policyTypeName and
// policyAttributeDescriptions[] of {attributeName, attributeValue}), where an SSL negotiation
// policy names the predefined policy it was made from in its Reference-Security-Policy attribute.
//
// Choices where AWS's page is silent:
// - Load balancers without SSL or HTTPS listeners are NOT_APPLICABLE.
// - A listener uses the predefined policy when one of its policy names equals the parameter, or
//   when one of its policies has a Reference-Security-Policy attribute equal to it (names are
//   compared exactly). Every SSL/HTTPS listener must use it.
// - When no policy name matches and the CI has no LoadBalancerPolicies, the references cannot be
//   read: no verdict (MISSING_FACT naming the item's type).
#include <optional>
#include <string>

#include "common/strings.h"
#include "rules/managed/elb/elb_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

// The Reference-Security-Policy of policy `name`, "" if it has none; nullopt if the policy is
// not among `policies`.
std::optional<std::string_view> Reference(const json::Value& policies, std::string_view name) {
  for (json::Value p : policies.Elements()) {
    if (p.Get("policyName").String().value_or(p.Get("PolicyName").String().value_or("")) != name)
      continue;
    json::Value attrs = p.Get("policyAttributeDescriptions");
    if (attrs.Missing()) attrs = p.Get("PolicyAttributeDescriptions");
    for (json::Value a : attrs.Elements()) {
      const std::string_view key =
          a.Get("attributeName").String().value_or(a.Get("AttributeName").String().value_or(""));
      if (key == "Reference-Security-Policy")
        return Trim(a.Get("attributeValue")
                        .String()
                        .value_or(a.Get("AttributeValue").String().value_or("")));
    }
    return std::string_view();
  }
  return std::nullopt;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& lb) {
  const std::string_view wanted = Trim(ctx.Param("predefinedPolicyName").value_or(""));
  const json::Value policies = lb.Supplementary("LoadBalancerPolicies");
  const std::vector<elb::Listener> secure = elb::SecureListeners(lb);
  bool unknown = false;
  std::string bad;
  for (const elb::Listener& l : secure) {
    bool uses = false;
    std::string found;
    for (json::Value n : l.description.Get("policyNames").Elements()) {
      const std::string_view name = Trim(n.String().value_or(""));
      if (name == wanted) uses = true;
      if (uses) break;
      if (!policies.IsArray()) continue;
      if (auto ref = Reference(policies, name); ref && !ref->empty()) {
        if (*ref == wanted) uses = true;
        found = std::string(*ref);
      }
    }
    if (uses) continue;
    if (!policies.IsArray()) {
      unknown = true;
      continue;
    }
    bad += (bad.empty() ? "" : "; ") + l.Label() +
           (found.empty() ? " uses no predefined policy" : " uses " + found);
  }
  if (secure.empty())
    return Verdict::NotApplicable("the load balancer has no SSL or HTTPS listener");
  if (!bad.empty())
    return Verdict::NonCompliant(TruncateUtf8("not " + std::string(wanted) + ": " + bad, 256));
  if (unknown)
    return Verdict::MissingFact(std::string(lb.resource_type),
                                "the configuration item has no "
                                "supplementaryConfiguration.LoadBalancerPolicies");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "ELB_PREDEFINED_SECURITY_POLICY_SSL_CHECK",
    .resource_types = {"AWS::ElasticLoadBalancing::LoadBalancer"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "predefinedPolicyName", .type = ParamType::kString, .optional = false}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
