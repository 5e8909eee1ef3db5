// STEP_FUNCTIONS_STATE_MACHINE_LOGGING_ENABLED (step-functions-state-machine-logging-enabled):
// Step Functions state machines must have logging enabled. AWS: NON_COMPLIANT if a state machine
// does not have logging enabled or the logging configuration is not at the minimum level
// provided. `logLevel` is the minimum log level (ALL, ERROR, FATAL); `cloudWatchLogGroupArns`
// lists CloudWatch Logs log groups, and the rule "checks if the specified log groups are
// configured for your state machine logs".
//
// Data: configuration.LoggingConfiguration (Level, Destinations[].CloudWatchLogsLogGroup
// .LogGroupArn) of the AWS::StepFunctions::StateMachine CI (the Step Functions API's camelCase
// spelling is read too).
//
// Choices where AWS's page is silent:
// - Logging is enabled when Level is set and not OFF; a missing LoggingConfiguration is OFF.
// - Levels rank ALL > ERROR > FATAL (ALL logs the most): with `logLevel` ERROR, the levels ERROR
//   and ALL are COMPLIANT. An unknown `logLevel` is matched exactly. Levels compare ignoring case.
// - With `cloudWatchLogGroupArns`, one destination must be one of the listed log groups; ARNs
//   compare without a trailing ":*" (Step Functions requires it, users often omit it).
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

json::Value Field(json::Value obj, std::string_view pascal, std::string_view camel) {
  json::Value v = obj.Get(pascal);
  return v.Missing() ? obj.Get(camel) : v;
}

int Rank(std::string_view level) {
  const std::string l = ToLower(Trim(level));
  if (l == "all") return 3;
  if (l == "error") return 2;
  if (l == "fatal") return 1;
  return 0;
}

std::string_view WithoutWildcard(std::string_view arn) {
  arn = Trim(arn);
  if (EndsWith(arn, ":*")) arn.remove_suffix(2);
  return arn;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& machine) {
  const json::Value logging =
      Field(machine.Config(), "LoggingConfiguration", "loggingConfiguration");
  const std::string_view level = Trim(Field(logging, "Level", "level").String().value_or(""));
  if (level.empty() || ToLower(level) == "off") return Verdict::NonCompliant("logging is off");
  if (auto want = ctx.Param("logLevel"); want && !Trim(*want).empty()) {
    const int need = Rank(*want);
    const bool ok = need == 0 ? ToLower(level) == ToLower(Trim(*want)) : Rank(level) >= need;
    if (!ok)
      return Verdict::NonCompliant(TruncateUtf8(
          "log level is " + std::string(level) + ", below " + std::string(Trim(*want)), 256));
  }
  const std::vector<std::string_view> groups = ctx.CsvParam("cloudWatchLogGroupArns");
  if (groups.empty()) return Verdict::Compliant();
  for (json::Value d : Field(logging, "Destinations", "destinations").Elements()) {
    const std::string_view arn =
        WithoutWildcard(Field(Field(d, "CloudWatchLogsLogGroup", "cloudWatchLogsLogGroup"),
                              "LogGroupArn", "logGroupArn")
                            .String()
                            .value_or(""));
    for (std::string_view g : groups)
      if (!arn.empty() && WithoutWildcard(g) == arn) return Verdict::Compliant();
  }
  return Verdict::NonCompliant("logs do not go to any of cloudWatchLogGroupArns");
}

const ManagedRule kRule{{
    .identifier = "STEP_FUNCTIONS_STATE_MACHINE_LOGGING_ENABLED",
    .resource_types = {"AWS::StepFunctions::StateMachine"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "cloudWatchLogGroupArns", .type = ParamType::kCsv, .optional = true},
                   {.name = "logLevel", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
