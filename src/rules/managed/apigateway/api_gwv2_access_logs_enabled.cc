// API_GWV2_ACCESS_LOGS_ENABLED (api-gwv2-access-logs-enabled): API Gateway V2 (HTTP and WebSocket
// API) stages must have access logging enabled. AWS: NON_COMPLIANT if 'accessLogSettings' is not
// present in the stage configuration.
//
// Data: the AWS::ApiGatewayV2::Stage CI's configuration.accessLogSettings ({destinationArn,
// format}); AccessLogSettings (CloudFormation's spelling) is accepted too.
//
// Choices where AWS's page is silent:
// - accessLogSettings that is null, an empty object, or has neither a destinationArn nor a
//   format counts as not present.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& stage) {
  const json::Value c = stage.Config();
  json::Value settings = c.Get("accessLogSettings");
  if (settings.Missing()) settings = c.Get("AccessLogSettings");
  auto field = [&](std::string_view camel, std::string_view pascal) {
    std::string_view v = settings.Get(camel).String().value_or("");
    if (Trim(v).empty()) v = settings.Get(pascal).String().value_or("");
    return Trim(v);
  };
  const std::string_view destination = field("destinationArn", "DestinationArn");
  if (destination.empty() && field("format", "Format").empty())
    return Verdict::NonCompliant("the stage has no accessLogSettings");
  return Verdict::Compliant(TruncateUtf8(
      "access logs go to " + std::string(destination.empty() ? "(no destination)" : destination),
      256));
}

const ManagedRule kRule{{
    .identifier = "API_GWV2_ACCESS_LOGS_ENABLED",
    .resource_types = {"AWS::ApiGatewayV2::Stage"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
