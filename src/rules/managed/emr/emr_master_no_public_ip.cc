// EMR_MASTER_NO_PUBLIC_IP (emr-master-no-public-ip): the master (primary) nodes of EMR clusters
// must not have public IPs; NON_COMPLIANT if a master node has one. Only clusters in the RUNNING
// or WAITING state are checked.
//
// AWS's periodic rule reads ListClusters and ListInstances. AWS Config does not record
// AWS::EMR::Cluster, so vigil evaluates the AWS::EMR::Cluster items it is given (resource ID = the
// cluster ID j-..., or its ARN) from two facts:
// - "emr-list-clusters" (`aws emr list-clusters --active`): the cluster's state. A cluster absent
//   from it is not active, hence NOT_APPLICABLE; one in another state than RUNNING or WAITING is
//   NOT_APPLICABLE.
// - "emr-list-instances" (`aws emr list-instances --cluster-id ID --instance-group-types MASTER`,
//   keyed by cluster ID): the master instances and their `PublicIpAddress`.
// The cluster's `MasterPublicDnsName` (describe-cluster) is not used: for a cluster in a private
// subnet it holds the private DNS name, so it does not tell whether the master has a public IP.
//
// Choices where AWS's page is silent:
// - AWS::EC2::Instance is in AWS's scope, but the verdict is reported on the cluster (as Security
//   Hub's EMR.1 does); every EC2 instance item is NOT_APPLICABLE.
// - Master instances in the TERMINATED state are ignored (a replaced master keeps its old record).
// - A master counts as public when its PublicIpAddress is non-empty.
#include <string>

#include "rules/managed/emr/emr_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  if (item.resource_type == "AWS::EC2::Instance")
    return Verdict::NotApplicable("evaluated on the EMR cluster (AWS::EMR::Cluster)");
  const emr::ActiveCluster cluster = emr::FindActiveCluster(ctx, item);
  if (!cluster.fact_present)
    return Verdict::MissingFact("emr-list-clusters", "the state of EMR cluster " +
                                                         std::string(item.resource_id) +
                                                         " is unknown: collect emr-list-clusters");
  if (cluster.entry.Missing()) return Verdict::NotApplicable("the cluster is not active");
  if (cluster.state != "RUNNING" && cluster.state != "WAITING")
    return Verdict::NotApplicable("the cluster is " + std::string(cluster.state) +
                                  "; only RUNNING or WAITING clusters are checked");
  const std::string id(cluster.entry.Get("Id").String().value_or(item.resource_id));
  const json::Value instances = ctx.Fact("emr-list-instances", item).Get(id).Get("Instances");
  if (!instances.IsArray())
    return Verdict::MissingFact("emr-list-instances",
                                "no emr-list-instances answer for cluster " + id);
  for (const json::Value instance : instances.Elements()) {
    if (instance.Get("Status").Get("State").String() == "TERMINATED") continue;
    const std::string_view ip = instance.Get("PublicIpAddress").String().value_or("");
    if (!ip.empty())
      return Verdict::NonCompliant(
          "master instance " +
          std::string(instance.Get("Ec2InstanceId")
                          .String()
                          .value_or(instance.Get("Id").String().value_or("?"))) +
          " has public IP " + std::string(ip));
  }
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "EMR_MASTER_NO_PUBLIC_IP",
    .resource_types = {"AWS::EMR::Cluster", "AWS::EC2::Instance"},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {"emr-list-clusters", "emr-list-instances"},
    .synthesized = {{"AWS::EMR::Cluster", "emr-list-clusters", "Clusters", "Id"}},
}};

}  // namespace
}  // namespace vigil::rules
