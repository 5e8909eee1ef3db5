// EC2_NO_AMAZON_KEY_PAIR (ec2-no-amazon-key-pair): running EC2 instances must not be launched with
// an Amazon EC2 key pair. AWS: NON_COMPLIANT if a running EC2 instance is launched with a key
// pair.
//
// Data: configuration.keyName and configuration.state.name of the AWS::EC2::Instance CI.
//
// Choices where AWS's page is silent:
// - AWS checks "running" instances: an instance in any other state (pending, stopping, stopped,
//   shutting-down, terminated) is NOT_APPLICABLE.
// - An absent, null or empty keyName means the instance was launched without a key pair.
// - A CI without a state has no verdict.
#include <string>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& instance) {
  (void)ctx;
  const json::Value config = instance.Config();
  const std::string state = ec2::InstanceStateName(config);
  if (state.empty())
    return Verdict::MissingFact("AWS::EC2::Instance", "the configuration item has no state");
  if (state != "running") return Verdict::NotApplicable("instance is " + state + ", not running");
  const std::string_view key = Trim(config.Get("keyName").String().value_or(""));
  if (key.empty()) return Verdict::Compliant();
  return Verdict::NonCompliant(
      TruncateUtf8("instance was launched with key pair " + std::string(key), 256));
}

const ManagedRule kRule{{
    .identifier = "EC2_NO_AMAZON_KEY_PAIR",
    .resource_types = {"AWS::EC2::Instance"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
