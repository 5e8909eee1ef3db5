#include "rules/managed/dax/dax_util.h"

#include <string>

#include "common/strings.h"
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

json::Value Field(json::Value obj, std::string_view name) {
  if (json::Value v = obj.Get(name); !v.Missing()) return v;
  const std::string want = ToLower(name);
  for (const auto& m : obj.Members())
    if (m.key.size() == want.size() && ToLower(m.key) == want) return m.value;
  return {};
}

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

}  // namespace vigil::rules::dax
