// EBS_OPTIMIZED_INSTANCE (ebs-optimized-instance): EC2 instances that can be EBS-optimized must
// have EBS optimization enabled. AWS: NON_COMPLIANT if EBS optimization is not enabled for an
// EC2 instance that can be EBS-optimized; instances that are EBS-optimized by default are always
// COMPLIANT.
//
// Data: configuration.ebsOptimized and configuration.instanceType of the AWS::EC2::Instance CI.
// Whether a type supports EBS optimization is not in any CI: it comes from the regional fact
// "ec2-describe-instance-types" (`aws ec2 describe-instance-types`,
// InstanceTypes[].EbsInfo.EbsOptimizedSupport: "unsupported", "supported" or "default").
//
// Choices where AWS's page is silent:
// - A terminated instance is NOT_APPLICABLE (as in the other EC2 instance rules).
// - An instance whose ebsOptimized is true is COMPLIANT without the fact.
// - Otherwise: type "default" is COMPLIANT (EC2 may still report ebsOptimized false for it),
//   "supported" is NON_COMPLIANT, "unsupported" is NOT_APPLICABLE (the instance cannot be
//   EBS-optimized). Without the fact, or when it does not list the type, there is no verdict.
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

const model::FactKindRegistration kInstanceTypes{{
    .name = "ec2-describe-instance-types",
    .command = "aws ec2 describe-instance-types --region REGION",
    .global = false,
    .keys_from = "",
    .answer_errors = "",
    .description = "the instance types offered in the region, with their EBS optimization support",
}};

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& instance) {
  const json::Value config = instance.Config();
  if (auto skip = ec2::NotApplicableIfTerminated(config)) return *skip;
  if (config.Get("ebsOptimized").Bool().value_or(false)) return Verdict::Compliant();
  const std::string_view type = Trim(config.Get("instanceType").String().value_or(""));
  if (type.empty())
    return Verdict::MissingFact("AWS::EC2::Instance", "the configuration item has no instanceType");
  const json::Value types = ctx.Fact("ec2-describe-instance-types", instance).Get("InstanceTypes");
  if (!types.IsArray())
    return Verdict::MissingFact(
        "ec2-describe-instance-types",
        "whether " + std::string(type) + " supports EBS optimization is unknown");
  for (json::Value t : types.Elements()) {
    if (t.Get("InstanceType").String() != type) continue;
    const std::string support =
        ToLower(Trim(t.Get("EbsInfo").Get("EbsOptimizedSupport").String().value_or("")));
    if (support == "default")
      return Verdict::Compliant(std::string(type) + " is EBS-optimized by default");
    if (support == "unsupported")
      return Verdict::NotApplicable(std::string(type) + " cannot be EBS-optimized");
    if (support == "supported")
      return Verdict::NonCompliant("EBS optimization is not enabled; " + std::string(type) +
                                   " supports it");
    break;
  }
  return Verdict::MissingFact(
      "ec2-describe-instance-types",
      "the fact does not say whether " + std::string(type) + " supports EBS optimization");
}

const ManagedRule kRule{{
    .identifier = "EBS_OPTIMIZED_INSTANCE",
    .resource_types = {"AWS::EC2::Instance"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {"ec2-describe-instance-types"},
}};

}  // namespace
}  // namespace vigil::rules
