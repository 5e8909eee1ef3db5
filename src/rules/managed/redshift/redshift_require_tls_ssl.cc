// REDSHIFT_REQUIRE_TLS_SSL (redshift-require-tls-ssl): Redshift clusters must require TLS/SSL for
// SQL client connections; NON_COMPLIANT if a cluster's parameter `require_ssl` is not true.
//
// The cluster CI names its parameter group (`configuration.clusterParameterGroups[].
// parameterGroupName`); the parameter values are in that group's
// AWS::Redshift::ClusterParameterGroup CI (`supplementaryConfiguration.Parameters[]`, parameterName
// "require_ssl", parameterValue "true"/"false"), read as a context type from the cluster's account
// and region. When the group is not recorded there, there is no verdict (MISSING_FACT naming the
// type).
//
// Choices where AWS's page is silent:
// - AWS::Redshift::ClusterParameterGroup is in the rule's scope so that a change to a group
//   re-evaluates its clusters; the group's own evaluation is NOT_APPLICABLE.
// - The value in the parameter group decides, as AWS words it ("parameter require_SSL not set to
//   true"). When the cluster reports require_ssl with a parameterApplyStatus other than in-sync
//   (e.g. pending-reboot), the verdict is unchanged and the annotation says so.
// - parameterValue is compared with "true" ignoring case. A group CI without a require_ssl
//   parameter gives no verdict (MISSING_FACT), since vigil cannot know the engine default.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kGroupType = "AWS::Redshift::ClusterParameterGroup";

const model::ConfigurationItem* FindGroup(
    const std::vector<const model::ConfigurationItem*>& groups, std::string_view name) {
  for (const model::ConfigurationItem* g : groups)
    if (g->resource_id == name || g->resource_name == name ||
        g->Config().Get("parameterGroupName").String() == name)
      return g;
  return nullptr;
}

// The cluster's apply status of require_ssl, if it reports one.
std::string_view ApplyStatus(const json::Value& group_status) {
  for (const json::Value p : group_status.Get("clusterParameterStatusList").Elements())
    if (ToLower(p.Get("parameterName").String().value_or("")) == "require_ssl")
      return p.Get("parameterApplyStatus").String().value_or("");
  return "";
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  if (item.resource_type == kGroupType)
    return Verdict::NotApplicable("parameter groups are evaluated through the clusters using them");
  const json::Value statuses = item.Config().Get("clusterParameterGroups");
  if (statuses.Empty())
    return Verdict::MissingFact(std::string(kGroupType),
                                "the cluster CI names no parameter group (clusterParameterGroups)");
  bool known = false;
  const auto groups = ctx.env().Items(kGroupType, item.account_id, item.region, &known);
  std::string pending;
  for (const json::Value status : statuses.Elements()) {
    const std::string name(status.Get("parameterGroupName").String().value_or(""));
    const model::ConfigurationItem* group = FindGroup(groups, name);
    if (group == nullptr)
      return Verdict::MissingFact(std::string(kGroupType),
                                  "parameter group '" + name + "' of cluster " +
                                      std::string(item.resource_id) + " is not recorded in " +
                                      std::string(item.account_id) + "/" +
                                      std::string(item.region));
    json::Value ssl;
    for (const json::Value p : group->Supplementary("Parameters").Elements())
      if (ToLower(p.Get("parameterName").String().value_or("")) == "require_ssl") ssl = p;
    if (ssl.Missing())
      return Verdict::MissingFact(std::string(kGroupType),
                                  "parameter group '" + name + "' has no recorded require_ssl");
    const json::Value value = ssl.Get("parameterValue");
    const bool on = value.Bool().value_or(false) || ToLower(Trim(value.AsText())) == "true";
    if (!on)
      return Verdict::NonCompliant(TruncateUtf8(
          "require_ssl is '" + value.AsText() + "' in parameter group '" + name + "'", 256));
    if (const std::string_view s = ApplyStatus(status); !s.empty() && ToLower(s) != "in-sync")
      pending = "require_ssl is true in '" + name + "' but " + std::string(s) + " on the cluster";
  }
  return Verdict::Compliant(TruncateUtf8(pending, 256));
}

const ManagedRule kRule{{
    .identifier = "REDSHIFT_REQUIRE_TLS_SSL",
    .resource_types = {"AWS::Redshift::Cluster", "AWS::Redshift::ClusterParameterGroup"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
    .context_types = {"AWS::Redshift::ClusterParameterGroup"},
}};

}  // namespace
}  // namespace vigil::rules
