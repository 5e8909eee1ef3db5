// AUTOSCALING_GROUP_ELB_HEALTHCHECK_REQUIRED (autoscaling-group-elb-healthcheck-required): Auto
// Scaling groups associated with a load balancer must use Elastic Load Balancing health checks.
// AWS: NON_COMPLIANT if the Auto Scaling groups (associated with an Elastic Load Balancer) are
// not using Elastic Load Balancing health checks.
//
// Data: configuration.loadBalancerNames, configuration.targetGroupARNs and
// configuration.healthCheckType of the AWS::AutoScaling::AutoScalingGroup CI.
//
// Choices where AWS's page is silent:
// - A group is associated with a load balancer when it names a Classic Load Balancer
//   (loadBalancerNames) or a target group (targetGroupARNs, for Application/Network/Gateway Load
//   Balancers: AWS's page says "an Elastic Load Balancer"). Other groups are NOT_APPLICABLE.
// - healthCheckType is a comma-separated list of types (EC2, EBS, ELB, VPC_LATTICE); the group
//   is COMPLIANT when ELB is one of them (ignoring case).
// - A CI without healthCheckType has no verdict.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

json::Value Field(json::Value config, std::string_view camel, std::string_view pascal) {
  json::Value v = config.Get(camel);
  return v.Missing() ? config.Get(pascal) : v;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& asg) {
  (void)ctx;
  const json::Value config = asg.Config();
  const bool associated = Field(config, "loadBalancerNames", "LoadBalancerNames").Size() > 0 ||
                          Field(config, "targetGroupARNs", "TargetGroupARNs").Size() > 0;
  if (!associated)
    return Verdict::NotApplicable("the group is not associated with a load balancer");
  const std::string_view type =
      Trim(Field(config, "healthCheckType", "HealthCheckType").String().value_or(""));
  if (type.empty())
    return Verdict::MissingFact("AWS::AutoScaling::AutoScalingGroup",
                                "the configuration item has no healthCheckType");
  for (std::string_view t : Split(type, ','))
    if (ToLower(Trim(t)) == "elb") return Verdict::Compliant();
  return Verdict::NonCompliant(
      TruncateUtf8("the group uses " + std::string(type) + " health checks, not ELB", 256));
}

const ManagedRule kRule{{
    .identifier = "AUTOSCALING_GROUP_ELB_HEALTHCHECK_REQUIRED",
    .resource_types = {"AWS::AutoScaling::AutoScalingGroup"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
