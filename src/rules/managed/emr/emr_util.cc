#include "rules/managed/emr/emr_util.h"

#include "model/facts.h"

namespace vigil::rules::emr {
namespace {

const model::FactKindRegistration kListClusters{{
    .name = "emr-list-clusters",
    .command = "aws emr list-clusters --region REGION --active",
    .global = false,
    .description = "active EMR clusters (STARTING, BOOTSTRAPPING, RUNNING, WAITING, TERMINATING) "
                   "and their state; AWS Config does not record AWS::EMR::Cluster",
}};

const model::FactKindRegistration kListInstances{{
    .name = "emr-list-instances",
    .command = "aws emr list-instances --region REGION --cluster-id KEY --instance-group-types "
               "MASTER",
    .global = false,
    .keys_from = "emr-list-clusters:Clusters[].Id",
    .description = "the master (primary) instances of each active EMR cluster, with their public "
                   "IP addresses",
}};

const model::FactKindRegistration kDescribeCluster{{
    .name = "emr-describe-cluster",
    .command = "aws emr describe-cluster --region REGION --cluster-id KEY",
    .global = false,
    .keys_from = "emr-list-clusters:Clusters[].Id",
    .description = "each active EMR cluster's details, including its security configuration name",
}};

const model::FactKindRegistration kListSecurityConfigurations{{
    .name = "emr-list-security-configurations",
    .command = "aws emr list-security-configurations --region REGION",
    .global = false,
    .description = "EMR security configuration names (the keys of "
                   "emr-describe-security-configuration)",
}};

const model::FactKindRegistration kDescribeSecurityConfiguration{{
    .name = "emr-describe-security-configuration",
    .command = "aws emr describe-security-configuration --region REGION --name KEY",
    .global = false,
    .keys_from = "emr-list-security-configurations:SecurityConfigurations[].Name",
    .description = "each EMR security configuration's JSON (Kerberos settings), when "
                   "AWS::EMR::SecurityConfiguration items do not carry it",
}};

}  // namespace

ActiveCluster FindActiveCluster(const RuleContext& ctx, const model::ConfigurationItem& cluster) {
  ActiveCluster out;
  const json::Value list = ctx.Fact("emr-list-clusters", cluster).Get("Clusters");
  if (!list.IsArray()) return out;
  out.fact_present = true;
  for (const json::Value c : list.Elements()) {
    const auto id = c.Get("Id").String();
    const auto arn = c.Get("ClusterArn").String();
    if (id == cluster.resource_id ||
        (arn && (*arn == cluster.resource_id || *arn == cluster.arn))) {
      out.entry = c;
      out.state = c.Get("Status").Get("State").String().value_or("");
      break;
    }
  }
  return out;
}

}  // namespace vigil::rules::emr
