// CODEDEPLOY_LAMBDA_ALLATONCE_TRAFFIC_SHIFT_DISABLED
// (codedeploy-lambda-allatonce-traffic-shift-disabled): CodeDeploy deployment groups for the
// Lambda compute platform must not shift all traffic at once. AWS: NON_COMPLIANT if the
// deployment group is using the deployment configuration 'CodeDeployDefault.LambdaAllAtOnce'.
//
// Data: configuration.computePlatform and configuration.deploymentConfigName of the
// AWS::CodeDeploy::DeploymentGroup CI.
//
// Choices where AWS's page is silent:
// - Deployment groups of another compute platform (Server, ECS) are NOT_APPLICABLE; a CI without
//   computePlatform has no verdict.
// - Names compare exactly (CodeDeploy's names are case-sensitive); a Lambda deployment group
//   without a deployment configuration name uses CodeDeploy's default for Lambda,
//   CodeDeployDefault.LambdaAllAtOnce, and is NON_COMPLIANT.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kAllAtOnce = "CodeDeployDefault.LambdaAllAtOnce";

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& group) {
  (void)ctx;
  const json::Value config = group.Config();
  const std::string platform = ToLower(Trim(config.Get("computePlatform").String().value_or("")));
  if (platform.empty())
    return Verdict::MissingFact("AWS::CodeDeploy::DeploymentGroup",
                                "the configuration item has no computePlatform");
  if (platform != "lambda")
    return Verdict::NotApplicable("the compute platform is " +
                                  std::string(Trim(*config.Get("computePlatform").String())));
  std::string_view name = Trim(config.Get("deploymentConfigName").String().value_or(""));
  if (name.empty()) name = kAllAtOnce;
  if (name == kAllAtOnce)
    return Verdict::NonCompliant("the deployment group uses CodeDeployDefault.LambdaAllAtOnce");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "CODEDEPLOY_LAMBDA_ALLATONCE_TRAFFIC_SHIFT_DISABLED",
    .resource_types = {"AWS::CodeDeploy::DeploymentGroup"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
