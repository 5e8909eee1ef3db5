// ELASTIC_BEANSTALK_MANAGED_UPDATES_ENABLED (elastic-beanstalk-managed-updates-enabled): managed
// platform updates must be enabled in Elastic Beanstalk environments. AWS: COMPLIANT if
// ManagedActionsEnabled is true; NON_COMPLIANT if it is false, or if `UpdateLevel` is provided
// and does not match the environment's configuration ('minor' or 'patch').
//
// Data: configuration.optionSettings of the AWS::ElasticBeanstalk::Environment CI: option
// ManagedActionsEnabled of namespace aws:elasticbeanstalk:managedactions and option UpdateLevel
// of namespace aws:elasticbeanstalk:managedactions:platformupdate. AWS Config records them as
// {"<namespace>": {"<option>": {"value": "..."}}}; the API's list of
// {Namespace, OptionName, Value} is read too.
//
// Choices where AWS's page is silent:
// - An environment whose options do not carry ManagedActionsEnabled is NON_COMPLIANT: managed
//   updates are not shown to be enabled.
// - Option values and `UpdateLevel` compare ignoring case and surrounding spaces; with
//   `UpdateLevel` given, an environment without an UpdateLevel option does not match.
#include <optional>
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kManagedActions = "aws:elasticbeanstalk:managedactions";
constexpr std::string_view kPlatformUpdate = "aws:elasticbeanstalk:managedactions:platformupdate";

std::optional<std::string> Option(json::Value settings, std::string_view ns,
                                  std::string_view name) {
  if (settings.IsObject()) {
    const json::Value v = settings.Get(ns).Get(name);
    if (v.Missing()) return std::nullopt;
    json::Value value = v.Get("value");
    if (value.Missing()) value = v.Get("Value");
    if (value.Missing() && !v.IsObject()) value = v;
    return std::string(Trim(value.AsText()));
  }
  for (json::Value o : settings.Elements()) {
    auto field = [&](std::string_view camel, std::string_view pascal) {
      json::Value f = o.Get(camel);
      return f.Missing() ? o.Get(pascal) : f;
    };
    if (field("namespace", "Namespace").String() == ns &&
        field("optionName", "OptionName").String() == name)
      return std::string(Trim(field("value", "Value").AsText()));
  }
  return std::nullopt;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& env) {
  json::Value settings = env.Config().Get("optionSettings");
  if (settings.Missing()) settings = env.Config().Get("OptionSettings");
  const std::optional<std::string> enabled =
      Option(settings, kManagedActions, "ManagedActionsEnabled");
  if (!enabled) return Verdict::NonCompliant("ManagedActionsEnabled is not set");
  if (ToLower(*enabled) != "true")
    return Verdict::NonCompliant(TruncateUtf8(
        "managed platform updates are disabled (ManagedActionsEnabled is " + *enabled + ")", 256));
  if (auto wanted = ctx.Param("UpdateLevel"); wanted && !Trim(*wanted).empty()) {
    const std::optional<std::string> level = Option(settings, kPlatformUpdate, "UpdateLevel");
    if (!level || ToLower(*level) != ToLower(Trim(*wanted)))
      return Verdict::NonCompliant(TruncateUtf8(
          "the update level is " + (level ? "'" + *level + "'" : std::string("not set")) +
              ", not '" + std::string(Trim(*wanted)) + "'",
          256));
  }
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "ELASTIC_BEANSTALK_MANAGED_UPDATES_ENABLED",
    .resource_types = {"AWS::ElasticBeanstalk::Environment"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "UpdateLevel", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
