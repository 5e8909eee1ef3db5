// API_GW_EXECUTION_LOGGING_ENABLED (api-gw-execution-logging-enabled): every method of an API
// Gateway stage must have execution logging enabled at one of the levels in `loggingLevel`
// (comma-separated, default "ERROR,INFO"). AWS: NON_COMPLIANT if logging is not enabled, or if
// the logging level is neither ERROR nor INFO (the levels listed).
//
// Data:
// - AWS::ApiGateway::Stage (REST APIs): configuration.methodSettings, a map from "*/*" (the
//   stage-wide setting) and "<resource path>/<HTTP method>" (per-method overrides) to settings
//   with `loggingLevel` ("OFF", "ERROR", "INFO").
// - AWS::ApiGatewayV2::Stage (WebSocket and HTTP APIs): configuration.defaultRouteSettings
//   (stage-wide) and configuration.routeSettings (per-route overrides), each with `loggingLevel`.
//
// Choices where AWS's page is silent:
// - The stage-wide setting must exist and use an allowed level: without "*/*" (or
//   defaultRouteSettings.loggingLevel) the stage's methods log nothing (OFF). Every override must
//   use an allowed level too; an override without a loggingLevel inherits the stage-wide one.
// - Levels are compared ignoring case and surrounding spaces. An empty `loggingLevel` means the
//   default "ERROR,INFO".
// - HTTP APIs (ApiGatewayV2 without execution logging) are judged the same way, so they are
//   NON_COMPLIANT: AWS's page names AWS::ApiGatewayV2::Stage without exception.
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

bool Allowed(std::string_view level, const std::vector<std::string>& allowed) {
  const std::string l = ToLower(Trim(level));
  for (const std::string& a : allowed)
    if (a == l) return true;
  return false;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& stage) {
  std::vector<std::string> allowed;
  for (std::string_view p : Split(ctx.Param("loggingLevel").value_or(""), ','))
    if (!Trim(p).empty()) allowed.push_back(ToLower(Trim(p)));
  if (allowed.empty()) allowed = {"error", "info"};

  const json::Value c = stage.Config();
  const bool v2 = stage.resource_type == "AWS::ApiGatewayV2::Stage";
  json::Value defaults;
  json::Value overrides;
  std::string_view default_key;
  if (v2) {
    defaults = c.Get("defaultRouteSettings");
    overrides = c.Get("routeSettings");
    default_key = "defaultRouteSettings";
  } else {
    defaults = c.Get("methodSettings").Get("*/*");
    overrides = c.Get("methodSettings");
    default_key = "*/*";
  }
  std::string_view stage_level = Trim(defaults.Get("loggingLevel").String().value_or(""));
  if (stage_level.empty()) stage_level = "OFF";

  std::string bad;
  if (!Allowed(stage_level, allowed))
    bad = "stage-wide (" + std::string(default_key) + ") " + std::string(stage_level);
  for (const auto m : overrides.Members()) {
    if (!v2 && m.key == "*/*") continue;
    const auto level = m.value.Get("loggingLevel").String();
    if (!level || Trim(*level).empty()) continue;  // inherits the stage-wide level
    if (Allowed(*level, allowed)) continue;
    bad += (bad.empty() ? "" : ", ") + std::string(m.key) + " " + std::string(Trim(*level));
  }
  if (bad.empty()) return Verdict::Compliant();
  return Verdict::NonCompliant(TruncateUtf8(
      "logging level not in " + std::string(ctx.Param("loggingLevel").value_or("")) + ": " + bad,
      256));
}

const ManagedRule kRule{{
    .identifier = "API_GW_EXECUTION_LOGGING_ENABLED",
    .resource_types = {"AWS::ApiGateway::Stage", "AWS::ApiGatewayV2::Stage"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "loggingLevel",
                    .type = ParamType::kString,
                    .default_value = "ERROR,INFO",
                    .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
