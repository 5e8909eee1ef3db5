// REDSHIFT_CLUSTER_CONFIGURATION_CHECK (redshift-cluster-configuration-check): Redshift clusters
// must have the specified settings: database encryption (`clusterDbEncrypted`), audit logging
// (`loggingEnabled`) and a node type among `nodeTypes`. NON_COMPLIANT if the cluster is not
// encrypted or does not have audit logging enabled (when required), or has another node type.
//
// Read from the AWS::Redshift::Cluster CI: `configuration.encrypted`, `configuration.nodeType` and
// `supplementaryConfiguration.LoggingStatus.loggingEnabled`.
//
// Choices where AWS's page is silent:
// - `clusterDbEncrypted` / `loggingEnabled` set to false mean "not checked", not "must be off".
// - `nodeTypes` has AWS's documented default, dc1.large, which applies when the parameter is
//   omitted: clusters of any other node type are then NON_COMPLIANT. An empty `nodeTypes` value
//   disables the node-type check. Node types are compared ignoring case.
// - A CI without `encrypted` is treated as unencrypted; one without LoggingStatus (or its
//   `loggingEnabled`) as audit logging disabled.
// - Every failed setting is named in the annotation.
#include <string>

#include "common/strings.h"
#include "rules/managed/redshift/redshift_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& cluster) {
  const json::Value config = cluster.Config();
  redshift::SettingProblems problems;
  if (redshift::RequiredButOff(ctx, "clusterDbEncrypted", config.Get("encrypted")))
    problems.Add("the cluster is not encrypted");
  if (redshift::RequiredButOff(ctx, "loggingEnabled",
                               cluster.Supplementary("LoggingStatus").Get("loggingEnabled")))
    problems.Add("audit logging is not enabled");
  if (const std::vector<std::string_view> types = ctx.CsvParam("nodeTypes"); !types.empty()) {
    const std::string node = ToLower(config.Get("nodeType").String().value_or(""));
    bool listed = false;
    for (std::string_view t : types) listed = listed || ToLower(t) == node;
    if (!listed)
      problems.Add("node type '" + std::string(config.Get("nodeType").String().value_or("")) +
                   "' is not one of: " + std::string(Trim(*ctx.Param("nodeTypes"))));
  }
  return problems.ToVerdict();
}

const ManagedRule kRule{{
    .identifier = "REDSHIFT_CLUSTER_CONFIGURATION_CHECK",
    .resource_types = {"AWS::Redshift::Cluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "loggingEnabled",
                    .type = ParamType::kBoolean,
                    .default_value = "true",
                    .optional = false},
                   {.name = "clusterDbEncrypted",
                    .type = ParamType::kBoolean,
                    .default_value = "true",
                    .optional = false},
                   {.name = "nodeTypes",
                    .type = ParamType::kCsv,
                    .default_value = "dc1.large",
                    .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
