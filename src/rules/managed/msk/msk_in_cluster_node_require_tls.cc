// MSK_IN_CLUSTER_NODE_REQUIRE_TLS (msk-in-cluster-node-require-tls): an Amazon MSK cluster must
// encrypt data in transit (TLS) between its broker nodes: NON_COMPLIANT when plain-text
// communication is enabled for in-cluster broker connections, that is when
// configuration.EncryptionInfo.EncryptionInTransit.InCluster (CloudFormation spelling) is false.
//
// Data: the AWS::MSK::Cluster CI.
//
// Choices where AWS's page is silent:
// - Client-broker encryption (EncryptionInTransit.ClientBroker) is not checked.
// - A CI without EncryptionInTransit.InCluster gives no verdict (MSK's default, true, is not
//   assumed): MissingFact.
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& cluster) {
  const std::optional<bool> in_cluster =
      cluster.Config().Get("EncryptionInfo").Get("EncryptionInTransit").Get("InCluster").Bool();
  if (!in_cluster)
    return Verdict::MissingFact(
        "AWS::MSK::Cluster",
        "the configuration item does not record EncryptionInfo.EncryptionInTransit.InCluster");
  if (!*in_cluster)
    return Verdict::NonCompliant("plain-text communication is enabled between broker nodes");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "MSK_IN_CLUSTER_NODE_REQUIRE_TLS",
    .resource_types = {"AWS::MSK::Cluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
