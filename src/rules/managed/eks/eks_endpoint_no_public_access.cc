// EKS_ENDPOINT_NO_PUBLIC_ACCESS (eks-endpoint-no-public-access): the Kubernetes API server
// endpoint of EKS clusters must not be publicly accessible. AWS: NON_COMPLIANT if the endpoint
// is publicly accessible.
//
// Data: configuration.ResourcesVpcConfig.EndpointPublicAccess of the AWS::EKS::Cluster CI (the
// EKS API's resourcesVpcConfig.endpointPublicAccess is read too).
//
// Choices where AWS's page is silent:
// - Public access counts whatever PublicAccessCidrs restricts it to (AWS judges accessibility,
//   not the allowed sources).
// - A CI that does not record EndpointPublicAccess (older recordings) has no verdict: EKS
//   enables public access by default, so its absence cannot be read as private.
#include <string>

#include "rules/managed/eks/eks_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& cluster) {
  (void)ctx;
  const json::Value vpc = PascalOrCamel(cluster.Config(), "ResourcesVpcConfig");
  const std::optional<bool> is_public = PascalOrCamel(vpc, "EndpointPublicAccess").Bool();
  if (!is_public)
    return Verdict::MissingFact(
        "AWS::EKS::Cluster",
        "the configuration item has no ResourcesVpcConfig.EndpointPublicAccess");
  if (*is_public) return Verdict::NonCompliant("the cluster endpoint is publicly accessible");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "EKS_ENDPOINT_NO_PUBLIC_ACCESS",
    .resource_types = {"AWS::EKS::Cluster"},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
