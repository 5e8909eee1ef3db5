#include "rules/managed/dax/dax_util.h"

#include <string>

#include "model/facts.h"

namespace vigil::rules::dax {
namespace {

const model::FactKindRegistration kDescribeClusters{{
    .name = kDescribeClustersFact,
    .command = "aws dax describe-clusters --region REGION",
    .global = false,
    .description = "the DAX clusters of the region, with their encryption settings",
}};

}  // namespace

json::Value ClusterWith(const RuleContext& ctx, const model::ConfigurationItem& cluster,
                        std::string_view key, bool* fact_missing) {
  *fact_missing = false;
  if (!Field(cluster.Config(), key).Missing()) return cluster.Config();
  const json::Value fact = ctx.Fact(kDescribeClustersFact, cluster);
  if (!fact.IsObject()) {
    *fact_missing = true;
    return {};
  }
  for (json::Value c : fact.Get("Clusters").Elements()) {
    const std::string_view name = c.Get("ClusterName").String().value_or("");
    const std::string_view arn = c.Get("ClusterArn").String().value_or("");
    const bool same =
        (!name.empty() && (name == cluster.resource_id || name == cluster.resource_name)) ||
        (!arn.empty() && (arn == cluster.arn || arn == cluster.resource_id));
    if (same) return c;
  }
  return {};
}

ClusterDescription DescribeCluster(const RuleContext& ctx, const model::ConfigurationItem& cluster,
                                   std::string_view key, std::string_view what) {
  bool fact_missing = false;
  json::Value description = ClusterWith(ctx, cluster, key, &fact_missing);
  if (description.Missing()) {
    bool unused = false;
    description = ClusterWith(ctx, cluster, "ClusterName", &unused);
  }
  if (description.Missing())
    return {{},
            Verdict::MissingFact(std::string(kDescribeClustersFact),
                                 fact_missing ? "the cluster's " + std::string(what) + " is unknown"
                                              : "the cluster is not in dax-describe-clusters")};
  return {description, std::nullopt};
}

ManagedRuleDef ClusterRule(std::string_view identifier, EvaluateFn evaluate) {
  return {
      .identifier = identifier,
      .resource_types = {"AWS::DAX::Cluster"},
      .trigger = Trigger::kPeriodic,
      .parameters = {},
      .evaluate = evaluate,
      .facts = {kDescribeClustersFact},
      .synthesized = {{"AWS::DAX::Cluster", kDescribeClustersFact, "Clusters", "ClusterName"}},
  };
}

}  // namespace vigil::rules::dax
