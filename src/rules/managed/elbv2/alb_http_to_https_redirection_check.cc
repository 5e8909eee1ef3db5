// ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK (alb-http-to-https-redirection-check): every HTTP listener
// of an Application Load Balancer must redirect to HTTPS. AWS: NON_COMPLIANT if one or more HTTP
// listeners do not have HTTP to HTTPS redirection configured, or forward (to an HTTP target)
// instead of redirecting.
//
// Listeners are not in the load balancer CI: they come from the keyed fact
// "elbv2-describe-listeners" or from recorded AWS::ElasticLoadBalancingV2::Listener CIs (see
// elbv2_util.h). With neither, there is no verdict.
//
// Choices where AWS's page is silent:
// - Network and Gateway Load Balancers are NOT_APPLICABLE (the rule is about ALBs); a CI without
//   a type is treated as an ALB (every ELBv2 load balancer was one before NLBs existed).
// - Only a listener's default actions are read (listener rules are not recorded by AWS Config).
//   An HTTP listener complies when one of its default actions is a redirect whose protocol is
//   HTTPS; "#{protocol}" keeps HTTP and does not comply. A forward or fixed-response default
//   action does not comply.
// - An ALB without any HTTP listener is COMPLIANT (no HTTP listener lacks the redirection).
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/elbv2/elbv2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

using elbv2::EqualsIgnoreCase;

// Describes why the listener does not redirect to HTTPS, or "" if it does.
std::string RedirectProblem(const elbv2::Listener& l) {
  std::string actions;
  for (const json::Value a : l.default_actions.Elements()) {
    const std::string_view type = PascalOrCamel(a, "Type").String().value_or("");
    if (EqualsIgnoreCase(type, "redirect")) {
      const std::string_view proto =
          PascalOrCamel(PascalOrCamel(a, "RedirectConfig"), "Protocol").String().value_or("");
      if (EqualsIgnoreCase(proto, "HTTPS")) return "";
      actions += (actions.empty() ? "" : ", ") + std::string("redirect to ") +
                 std::string(proto.empty() ? "?" : proto);
      continue;
    }
    actions += (actions.empty() ? "" : ", ") + std::string(type.empty() ? "?" : type);
  }
  return actions.empty() ? "no default action" : actions;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& lb) {
  if (auto skip = elbv2::NotAnApplicationLoadBalancer(lb)) return *skip;

  std::vector<elbv2::Listener> listeners;
  if (elbv2::CollectListeners(ctx, lb, listeners) == elbv2::ListenerSource::kUnknown)
    return elbv2::ListenersMissing(lb);

  std::string bad;
  int http = 0;
  for (const elbv2::Listener& l : listeners) {
    if (!EqualsIgnoreCase(l.protocol, "HTTP")) continue;
    ++http;
    const std::string problem = RedirectProblem(l);
    if (problem.empty()) continue;
    bad += (bad.empty() ? "" : "; ") + std::string("port ") +
           (l.port ? std::to_string(*l.port) : "?") + ": " + problem;
  }
  if (!bad.empty())
    return Verdict::NonCompliant(
        TruncateUtf8("HTTP listeners without redirection to HTTPS: " + bad, 256));
  if (http == 0) return Verdict::Compliant("no HTTP listener");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK",
    .resource_types = {"AWS::ElasticLoadBalancingV2::LoadBalancer"},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {"elbv2-describe-listeners"},
    .context_types = {"AWS::ElasticLoadBalancingV2::Listener"},
}};

}  // namespace
}  // namespace vigil::rules
