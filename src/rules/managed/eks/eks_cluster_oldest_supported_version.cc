// EKS_CLUSTER_OLDEST_SUPPORTED_VERSION (eks-cluster-oldest-supported-version): EKS clusters must
// not run the oldest supported Kubernetes version. AWS: NON_COMPLIANT if an EKS cluster is
// running the oldest supported version (equal to the parameter `oldestVersionSupported`).
//
// Data: configuration.Version of the AWS::EKS::Cluster CI ("1.21").
//
// Choices where AWS's page is silent:
// - Versions compare numerically, part by part ("1.9" < "1.21"); a cluster on a version older
//   than `oldestVersionSupported` is NON_COMPLIANT too (it is past the oldest supported one).
//   When either version is not dotted numbers, only an exact match is NON_COMPLIANT.
// - A CI without a Version has no verdict.
#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/eks/eks_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

std::optional<std::vector<long>> Parts(std::string_view v) {
  v = Trim(v);
  if (!v.empty() && (v[0] == 'v' || v[0] == 'V')) v.remove_prefix(1);
  std::vector<long> out;
  for (std::string_view p : Split(v, '.')) {
    long n = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), n);
    if (p.empty() || ec != std::errc() || end != p.data() + p.size()) return std::nullopt;
    out.push_back(n);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& cluster) {
  const std::string_view version =
      Trim(PascalOrCamel(cluster.Config(), "Version").String().value_or(""));
  if (version.empty())
    return Verdict::MissingFact("AWS::EKS::Cluster", "the configuration item has no Version");
  const std::string_view oldest = Trim(ctx.Param("oldestVersionSupported").value_or(""));
  const auto a = Parts(version), b = Parts(oldest);
  bool at_or_below = version == oldest;
  if (a && b) {
    std::vector<long> x = *a, y = *b;
    x.resize(std::max(x.size(), y.size()), 0);
    y.resize(x.size(), 0);
    at_or_below = x <= y;
  }
  if (at_or_below)
    return Verdict::NonCompliant(
        TruncateUtf8("the cluster runs Kubernetes " + std::string(version) +
                         "; the oldest supported version is " + std::string(oldest),
                     256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "EKS_CLUSTER_OLDEST_SUPPORTED_VERSION",
    .resource_types = {"AWS::EKS::Cluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "oldestVersionSupported",
                    .type = ParamType::kString,
                    .optional = false}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
