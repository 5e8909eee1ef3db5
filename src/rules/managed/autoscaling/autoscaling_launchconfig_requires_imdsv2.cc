// AUTOSCALING_LAUNCHCONFIG_REQUIRES_IMDSV2 (autoscaling-launchconfig-requires-imdsv2): launch
// configurations must allow only IMDSv2. AWS: NON_COMPLIANT if the metadata version is not
// included in the launch configuration or if both metadata V1 and V2 are enabled.
//
// Data: configuration.metadataOptions.httpTokens of the AWS::AutoScaling::LaunchConfiguration CI
// ("required" = IMDSv2 only, "optional" = V1 and V2).
//
// Choices where AWS's page is silent:
// - Only httpTokens "required" (ignoring case) is COMPLIANT; httpEndpoint is not considered.
// - A launch configuration without metadataOptions or httpTokens is NON_COMPLIANT (AWS: "not
//   included in the launch configuration").
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& lc) {
  (void)ctx;
  json::Value options = lc.Config().Get("metadataOptions");
  if (options.Missing()) options = lc.Config().Get("MetadataOptions");
  json::Value tokens = options.Get("httpTokens");
  if (tokens.Missing()) tokens = options.Get("HttpTokens");
  const std::string_view value = Trim(tokens.String().value_or(""));
  if (value.empty())
    return Verdict::NonCompliant("the launch configuration does not set the metadata version");
  if (ToLower(value) == "required") return Verdict::Compliant();
  return Verdict::NonCompliant(TruncateUtf8(
      "IMDSv1 and IMDSv2 are both enabled (httpTokens is " + std::string(value) + ")", 256));
}

const ManagedRule kRule{{
    .identifier = "AUTOSCALING_LAUNCHCONFIG_REQUIRES_IMDSV2",
    .resource_types = {"AWS::AutoScaling::LaunchConfiguration"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
