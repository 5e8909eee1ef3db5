// APPSYNC_LOGGING_ENABLED (appsync-logging-enabled): an AWS AppSync API must have field-level
// logging enabled, and with `fieldLoggingLevel` given, at one of those levels. AWS: NON_COMPLIANT
// if field-level logging is not enabled, or if the API's field logging level does not match the
// values of fieldLoggingLevel.
//
// Data: the AWS::AppSync::GraphQLApi CI's configuration.LogConfig.FieldLogLevel (NONE, ERROR,
// INFO, DEBUG, ALL); camelCase spellings (logConfig.fieldLogLevel) are accepted too.
//
// Choices where AWS's page is silent:
// - Without LogConfig, or with FieldLogLevel NONE or empty, logging is not enabled.
// - Without fieldLoggingLevel any level other than NONE complies (the current page; an older
//   one named ERROR and ALL only). Levels are compared ignoring case and surrounding spaces.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

json::Value Field(const json::Value& v, std::string_view pascal) {
  json::Value f = v.Get(pascal);
  if (!f.Missing()) return f;
  std::string camel(pascal);
  camel[0] = static_cast<char>(camel[0] - 'A' + 'a');
  return v.Get(camel);
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& api) {
  const json::Value log = Field(api.Config(), "LogConfig");
  const std::string_view level = Trim(Field(log, "FieldLogLevel").String().value_or(""));
  const std::string lower = ToLower(level);
  if (lower.empty() || lower == "none")
    return Verdict::NonCompliant("field-level logging is not enabled");
  const auto allowed = ctx.CsvParam("fieldLoggingLevel");
  if (allowed.empty()) return Verdict::Compliant("field log level " + std::string(level));
  for (std::string_view a : allowed)
    if (ToLower(a) == lower) return Verdict::Compliant("field log level " + std::string(level));
  return Verdict::NonCompliant(
      TruncateUtf8("field log level " + std::string(level) + " is not in " +
                       std::string(Trim(ctx.Param("fieldLoggingLevel").value_or(""))),
                   256));
}

const ManagedRule kRule{{
    .identifier = "APPSYNC_LOGGING_ENABLED",
    .resource_types = {"AWS::AppSync::GraphQLApi"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "fieldLoggingLevel", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
