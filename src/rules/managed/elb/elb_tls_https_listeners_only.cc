// ELB_TLS_HTTPS_LISTENERS_ONLY (elb-tls-https-listeners-only): every listener of a Classic Load
// Balancer must use SSL or HTTPS. AWS: NOT_APPLICABLE if the load balancer has no listener;
// COMPLIANT if its listeners are configured with SSL or HTTPS; NON_COMPLIANT if a listener is
// not.
//
// Listeners are the CI's configuration.listenerDescriptions[].listener.
//
// Choices where AWS's page is silent:
// - Only the front-end `protocol` (client to load balancer) is checked, not `instanceProtocol`
//   (load balancer to instance). Protocols are compared ignoring case.
#include <string>

#include "common/strings.h"
#include "rules/managed/elbv2/elbv2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& lb) {
  (void)ctx;
  const json::Value listeners = lb.Config().Get("listenerDescriptions");
  if (listeners.Size() == 0) return Verdict::NotApplicable("the load balancer has no listener");
  std::string bad;
  for (const json::Value d : listeners.Elements()) {
    const json::Value l = d.Get("listener");
    const std::string_view proto = l.Get("protocol").String().value_or("");
    if (elbv2::EqualsIgnoreCase(proto, "HTTPS") || elbv2::EqualsIgnoreCase(proto, "SSL")) continue;
    bad += (bad.empty() ? "" : ", ") + std::string(proto.empty() ? "?" : proto) + " on port " +
           l.Get("loadBalancerPort").AsText();
  }
  if (bad.empty()) return Verdict::Compliant();
  return Verdict::NonCompliant(TruncateUtf8("listeners without SSL or HTTPS: " + bad, 256));
}

const ManagedRule kRule{{
    .identifier = "ELB_TLS_HTTPS_LISTENERS_ONLY",
    .resource_types = {"AWS::ElasticLoadBalancing::LoadBalancer"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
