// DAX_ENCRYPTION_ENABLED (dax-encryption-enabled): DynamoDB Accelerator (DAX) clusters must be
// encrypted (at rest); NON_COMPLIANT if a DAX cluster is not encrypted.
//
// Data: the cluster's SSEDescription.Status ("ENABLED" | "ENABLING" | "DISABLING" | "DISABLED"),
// or CloudFormation's SSESpecification.SSEEnabled, from the item or the fact
// dax-describe-clusters (see dax_util.h).
//
// Choices where AWS's page is silent:
// - Only status ENABLED (any case) is encrypted; a cluster described without SSEDescription is
//   not encrypted (DAX reports none when server-side encryption was not requested).
// - A cluster that neither its item nor the fact describes gives no verdict (MissingFact).
#include <string>

#include "common/strings.h"
#include "rules/managed/dax/dax_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

using dax::Field;

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& cluster) {
  if (auto enabled = Field(Field(cluster.Config(), "SSESpecification"), "SSEEnabled").Bool())
    return *enabled ? Verdict::Compliant()
                    : Verdict::NonCompliant("server-side encryption is not enabled");
  const dax::ClusterDescription found =
      dax::DescribeCluster(ctx, cluster, "SSEDescription", "encryption");
  if (found.missing) return *found.missing;
  const std::string status(
      Field(Field(found.description, "SSEDescription"), "Status").String().value_or(""));
  if (ToLower(status) != "enabled")
    return Verdict::NonCompliant("server-side encryption is " +
                                 (status.empty() ? std::string("not enabled") : status));
  return Verdict::Compliant();
}

const ManagedRule kRule{dax::ClusterRule("DAX_ENCRYPTION_ENABLED", &Evaluate)};

}  // namespace
}  // namespace vigil::rules
