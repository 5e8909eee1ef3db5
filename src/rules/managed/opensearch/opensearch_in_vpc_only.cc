// OPENSEARCH_IN_VPC_ONLY (opensearch-in-vpc-only): OpenSearch Service domains must be in a VPC;
// NON_COMPLIANT if the domain endpoint is public.
//
// Read from the AWS::OpenSearch::Domain CI: a VPC domain has `configuration.VPCOptions.SubnetIds`
// (AWS Config records no VPC ID for this type). `DomainEndpoint` cannot tell the two apart: it is
// recorded for VPC domains too.
//
// Choices where AWS's page is silent:
// - The domain is in a VPC when `VPCOptions.SubnetIds` is non-empty; without it (no VPCOptions,
//   or empty ones) its endpoint is public.
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& domain) {
  if (!domain.Config().Get("VPCOptions").Get("SubnetIds").Empty()) return Verdict::Compliant();
  return Verdict::NonCompliant("the domain is not in a VPC: its endpoint is public");
}

const ManagedRule kRule{{
    .identifier = "OPENSEARCH_IN_VPC_ONLY",
    .resource_types = {"AWS::OpenSearch::Domain"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
