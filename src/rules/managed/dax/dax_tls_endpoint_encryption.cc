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
  const dax::ClusterDescription found =
      dax::DescribeCluster(ctx, cluster, "ClusterEndpointEncryptionType", "endpoint encryption");
  if (found.missing) return *found.missing;
  const std::string type(
      dax::Field(found.description, "ClusterEndpointEncryptionType").String().value_or(""));
  if (ToLower(type) != "tls")
    return Verdict::NonCompliant("ClusterEndpointEncryptionType is " +
                                 (type.empty() ? std::string("not set (NONE)") : type));
  return Verdict::Compliant();
}

const ManagedRule kRule{dax::ClusterRule("DAX_TLS_ENDPOINT_ENCRYPTION", &Evaluate)};

}  // namespace
}  // namespace vigil::rules
