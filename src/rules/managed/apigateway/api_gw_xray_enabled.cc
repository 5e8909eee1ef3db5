// API_GW_XRAY_ENABLED (api-gw-xray-enabled): AWS X-Ray tracing must be enabled on API Gateway
// REST API stages. AWS: COMPLIANT if X-Ray tracing is enabled, NON_COMPLIANT otherwise.
//
// Data: the AWS::ApiGateway::Stage CI's configuration.tracingEnabled (TracingEnabled, the
// spelling of proactive evaluation and CloudFormation, is accepted too).
//
// Choices where AWS's page is silent:
// - An absent tracingEnabled is API Gateway's default, false (NON_COMPLIANT). The string "true"
//   (any case) counts as true.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& stage) {
  json::Value v = stage.Config().Get("tracingEnabled");
  if (v.Missing()) v = stage.Config().Get("TracingEnabled");
  if (v.Bool().value_or(false) || ToLower(Trim(v.String().value_or(""))) == "true")
    return Verdict::Compliant();
  return Verdict::NonCompliant("X-Ray tracing is disabled");
}

const ManagedRule kRule{{
    .identifier = "API_GW_XRAY_ENABLED",
    .resource_types = {"AWS::ApiGateway::Stage"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
