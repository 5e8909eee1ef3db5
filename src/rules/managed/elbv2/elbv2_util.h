// Shared Elastic Load Balancing v2 logic for managed rules: load balancer type and attributes as
// AWS Config records them, and the listeners of a load balancer.
//
// An AWS::ElasticLoadBalancingV2::LoadBalancer CI carries its type in `configuration.type`
// ("application", "network", "gateway") and its attributes in
// `supplementaryConfiguration.LoadBalancerAttributes`, a list of
// `{"key": "access_logs.s3.enabled", "value": "false"}` (the values are strings).
//
// Listeners are not part of the load balancer CI. They come from the keyed account fact
// "elbv2-describe-listeners" (`aws elbv2 describe-listeners --load-balancer-arn KEY`, keyed by
// load balancer ARN) when it holds the load balancer, otherwise from the recorded
// AWS::ElasticLoadBalancingV2::Listener CIs of the load balancer's account and region. Both spell
// listener fields in PascalCase (`Protocol`, `DefaultActions`, `Certificates`, ...); camelCase
// spellings are accepted too.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json/value.h"
#include "model/configuration_item.h"
#include "rules/fact_util.h"
#include "rules/rule.h"

namespace vigil::rules::elbv2 {

inline constexpr std::string_view kLoadBalancerType = "AWS::ElasticLoadBalancingV2::LoadBalancer";
inline constexpr std::string_view kListenerType = "AWS::ElasticLoadBalancingV2::Listener";
inline constexpr std::string_view kListenersFact = "elbv2-describe-listeners";

// The load balancer's type, lower-cased ("application", "network", "gateway"); "" if the CI does
// not record it.
std::string LoadBalancerKind(const model::ConfigurationItem& lb);

// The load balancer's ARN: configuration.loadBalancerArn, else the item's ARN, else its resource
// ID (which AWS Config sets to the ARN).
std::string_view LoadBalancerArn(const model::ConfigurationItem& lb);

// The load balancer's attributes, as recorded. `known` is false when the CI has no
// supplementaryConfiguration.LoadBalancerAttributes list.
struct Attributes {
  bool known = false;
  std::vector<std::pair<std::string_view, std::string_view>> entries;
  // The value of attribute `key`, if recorded.
  std::optional<std::string_view> Get(std::string_view key) const;
};
Attributes LoadBalancerAttributes(const model::ConfigurationItem& lb);
// The attributes, for rules that judge them: nullopt, with `*missing` set to MissingFact (the
// item's type), when the CI records no attribute list.
std::optional<Attributes> RecordedAttributes(const model::ConfigurationItem& lb, Verdict* missing);

// For the rules that evaluate Application Load Balancers only: NOT_APPLICABLE ("not an
// Application Load Balancer (type network)") for another type; nullopt for an Application Load
// Balancer or a CI that does not record its type.
std::optional<Verdict> NotAnApplicationLoadBalancer(const model::ConfigurationItem& lb);

struct Listener {
  std::string_view arn;
  std::string_view protocol;  // "HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE"
  std::optional<std::int64_t> port;
  json::Value default_actions;  // array of actions ({"Type": "redirect", "RedirectConfig": ...})
  json::Value certificates;     // array of {"CertificateArn": ..., "IsDefault": ...}
};

// Where the listeners came from; kUnknown when neither source covers the load balancer.
enum class ListenerSource { kFact, kRecordedItems, kUnknown };

// Collects the listeners of `lb` into `out`: from the "elbv2-describe-listeners" fact when it
// holds the load balancer's ARN, else from recorded Listener CIs when that type is recorded in
// the load balancer's account and region. A fact entry that is an answered error
// (LoadBalancerNotFound) gives no listeners.
ListenerSource CollectListeners(const RuleContext& ctx, const model::ConfigurationItem& lb,
                                std::vector<Listener>& out);

// The MISSING_FACT verdict for a load balancer whose listeners are unknown.
Verdict ListenersMissing(const model::ConfigurationItem& lb);

// Case-insensitive ASCII comparison.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace vigil::rules::elbv2
