// REDSHIFT_CLUSTER_PUBLIC_ACCESS_CHECK (redshift-cluster-public-access-check): Redshift clusters
// must not be publicly accessible; NON_COMPLIANT if `publiclyAccessible` is true in the cluster
// CI (`configuration.publiclyAccessible`).
//
// Choices where AWS's page is silent:
// - Only the current value counts: `pendingModifiedValues.publiclyAccessible` (a change not yet
//   applied) is ignored. A CI without `publiclyAccessible` is COMPLIANT (the field is not true).
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& cluster) {
  if (cluster.Config().Get("publiclyAccessible").Bool().value_or(false))
    return Verdict::NonCompliant("the cluster is publicly accessible");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "REDSHIFT_CLUSTER_PUBLIC_ACCESS_CHECK",
    .resource_types = {"AWS::Redshift::Cluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
