// DAX_TLS_ENDPOINT_ENCRYPTION (dax-tls-endpoint-encryption): the DynamoDB Accelerator (DAX)
// cluster must have ClusterEndpointEncryptionType set to TLS; NON_COMPLIANT if the cluster is not
// encrypted by transport layer security.
//
// Data: ClusterEndpointEncryptionType ("NONE" | "TLS") from the item or the fact
// dax-describe-clusters (see dax_util.h).
//
// Choices where AWS's page is silent:
// - A cluster described without ClusterEndpointEncryptionType uses DAX's default, NONE:
//   NON_COMPLIANT. TLS compares ignoring case.
// - A cluster that neither its item nor the fact describes gives no verdict (MissingFact).
#include <string>

#include "common/strings.h"
#include "rules/managed/dax/dax_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& cluster) {
  bool fact_missing = false;
  json::Value description =
      dax::ClusterWith(ctx, cluster, "ClusterEndpointEncryptionType", &fact_missing);
  if (description.Missing()) {
    bool unused = false;
    description = dax::ClusterWith(ctx, cluster, "ClusterName", &unused);
  }
  if (description.Missing())
    return Verdict::MissingFact(std::string(dax::kDescribeClustersFact),
                                fact_missing ? "the cluster's endpoint encryption is unknown"
                                             : "the cluster is not in dax-describe-clusters");
  const std::string type(
      dax::Field(description, "ClusterEndpointEncryptionType").String().value_or(""));
  if (ToLower(type) != "tls")
    return Verdict::NonCompliant("ClusterEndpointEncryptionType is " +
                                 (type.empty() ? std::string("not set (NONE)") : type));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "DAX_TLS_ENDPOINT_ENCRYPTION",
    .resource_types = {"AWS::DAX::Cluster"},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {dax::kDescribeClustersFact},
    .synthesized = {{"AWS::DAX::Cluster", dax::kDescribeClustersFact, "Clusters", "ClusterName"}},
}};

}  // namespace
}  // namespace vigil::rules
