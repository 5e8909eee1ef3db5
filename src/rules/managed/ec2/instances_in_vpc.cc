// INSTANCES_IN_VPC (ec2-instances-in-vpc): EC2 instances must belong to a VPC, and, when the vpcId
// parameter is given, to that VPC. NON_COMPLIANT if the instance has no `vpcId` (EC2-Classic) or
// is in another VPC than vpcId.
//
// Choices where AWS's page is silent:
// - A terminated instance is NOT_APPLICABLE (EC2 no longer reports its VPC).
// - vpcId is compared with the instance's `vpcId` exactly (after trimming spaces); an empty
//   vpcId is no constraint.
#include <string>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& instance) {
  const json::Value config = instance.Config();
  if (auto skip = ec2::NotApplicableIfTerminated(config)) return *skip;
  const std::string_view vpc = Trim(config.Get("vpcId").String().value_or(""));
  if (vpc.empty()) return Verdict::NonCompliant("instance is not in a VPC");
  const std::string_view wanted = Trim(ctx.Param("vpcId").value_or(""));
  if (!wanted.empty() && vpc != wanted)
    return Verdict::NonCompliant("instance is in " + std::string(vpc) + ", not " +
                                 std::string(wanted));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "INSTANCES_IN_VPC",
    .resource_types = {"AWS::EC2::Instance"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "vpcId", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
