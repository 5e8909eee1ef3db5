// EC2_INSTANCE_DETAILED_MONITORING_ENABLED (ec2-instance-detailed-monitoring-enabled): EC2
// instances must have detailed monitoring enabled. AWS: NON_COMPLIANT if detailed monitoring is
// not enabled.
//
// Data: configuration.monitoring.state of the AWS::EC2::Instance CI ("disabled", "disabling",
// "enabled" or "pending").
//
// Choices where AWS's page is silent:
// - A terminated instance is NOT_APPLICABLE (as in the other EC2 instance rules).
// - Only the state "enabled" (ignoring case) is COMPLIANT: "pending" (being enabled) and
//   "disabling" are not enabled yet / any more.
// - A CI without monitoring.state has no verdict.
#include <string>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& instance) {
  (void)ctx;
  const json::Value config = instance.Config();
  if (auto skip = ec2::NotApplicableIfTerminated(config)) return *skip;
  const std::string_view state = Trim(config.Get("monitoring").Get("state").String().value_or(""));
  if (state.empty())
    return Verdict::MissingFact("AWS::EC2::Instance",
                                "the configuration item has no monitoring.state");
  if (ToLower(state) == "enabled") return Verdict::Compliant();
  return Verdict::NonCompliant(TruncateUtf8("detailed monitoring is " + std::string(state), 256));
}

const ManagedRule kRule{{
    .identifier = "EC2_INSTANCE_DETAILED_MONITORING_ENABLED",
    .resource_types = {"AWS::EC2::Instance"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
