// EKS_CLUSTER_LOGGING_ENABLED (eks-cluster-logging-enabled): EKS clusters must send every
// control-plane log type to CloudWatch Logs. AWS: NON_COMPLIANT if logging for Amazon EKS
// clusters is not enabled for all log types.
//
// Data: configuration.Logging.ClusterLogging.EnabledTypes[].Type of the AWS::EKS::Cluster CI (the
// EKS API's logging.clusterLogging[] {types, enabled} spelling is read too).
//
// Choices where AWS's page is silent:
// - "All log types" are the five EKS control-plane log types: api, audit, authenticator,
//   controllerManager and scheduler (compared ignoring case).
// - A CI without Logging is NON_COMPLIANT: AWS Config records the enabled types, so their
//   absence means none is enabled.
#include <set>
#include <string>

#include "common/strings.h"
#include "rules/managed/eks/eks_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kLogTypes[] = {"api", "audit", "authenticator", "controllerManager",
                                          "scheduler"};

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& cluster) {
  (void)ctx;
  std::set<std::string> enabled;
  const json::Value logging = PascalOrCamel(cluster.Config(), "Logging");
  const json::Value cluster_logging = PascalOrCamel(logging, "ClusterLogging");
  // CloudFormation spelling: {"ClusterLogging": {"EnabledTypes": [{"Type": "api"}, ...]}}.
  for (json::Value t : PascalOrCamel(cluster_logging, "EnabledTypes").Elements())
    enabled.insert(ToLower(Trim(PascalOrCamel(t, "Type").String().value_or(""))));
  // EKS API spelling: {"clusterLogging": [{"types": ["api", ...], "enabled": true}, ...]}.
  for (json::Value setup : cluster_logging.Elements()) {
    if (!PascalOrCamel(setup, "Enabled").Bool().value_or(false)) continue;
    for (json::Value t : PascalOrCamel(setup, "Types").Elements())
      enabled.insert(ToLower(Trim(t.String().value_or(""))));
  }
  std::string off;
  for (std::string_view type : kLogTypes)
    if (!enabled.count(ToLower(type))) off += (off.empty() ? "" : ", ") + std::string(type);
  if (!off.empty()) return Verdict::NonCompliant("log types not enabled: " + off);
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "EKS_CLUSTER_LOGGING_ENABLED",
    .resource_types = {"AWS::EKS::Cluster"},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
