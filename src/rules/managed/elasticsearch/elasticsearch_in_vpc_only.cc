// ELASTICSEARCH_IN_VPC_ONLY (elasticsearch-in-vpc-only): Elasticsearch domains must be in a VPC;
// NON_COMPLIANT if the domain endpoint is public.
//
// AWS's periodic rule reads the domain through the Elasticsearch describe API (Endpoint for a
// public domain, Endpoints.vpc and VPCOptions for a VPC domain). AWS Config records the same in
// the AWS::Elasticsearch::Domain CI (`configuration.vpcoptions`, `configuration.endpoints.vpc`,
// `configuration.endpoint`), so vigil reads the CI and needs no fact.
//
// Choices where AWS's page is silent:
// - The domain is in a VPC when its CI has VPC options (`vpcoptions.subnetIds` or
//   `vpcoptions.vpcid` non-empty) or a VPC endpoint (`endpoints.vpc`); otherwise its endpoint is
//   public. A domain still being created, with neither recorded, is NON_COMPLIANT.
// - Every AWS::Elasticsearch::Domain CI is evaluated whatever its engine version.
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& domain) {
  const json::Value config = domain.Config();
  const json::Value vpc = config.Get("vpcoptions");
  if (!vpc.Get("subnetIds").Empty() || !vpc.Get("vpcid").Empty() ||
      !config.Get("endpoints").Get("vpc").Empty())
    return Verdict::Compliant();
  return Verdict::NonCompliant("the domain is not in a VPC: its endpoint is public");
}

const ManagedRule kRule{{
    .identifier = "ELASTICSEARCH_IN_VPC_ONLY",
    .resource_types = {"AWS::Elasticsearch::Domain"},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
