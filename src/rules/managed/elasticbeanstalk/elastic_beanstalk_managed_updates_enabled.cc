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
#include "rules/managed/elasticbeanstalk/elasticbeanstalk_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kManagedActions = "aws:elasticbeanstalk:managedactions";
constexpr std::string_view kPlatformUpdate = "aws:elasticbeanstalk:managedactions:platformupdate";

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& env) {
  const json::Value settings = elasticbeanstalk::OptionSettings(env);
  const std::optional<std::string> enabled =
      elasticbeanstalk::Option(settings, kManagedActions, "ManagedActionsEnabled");
  if (!enabled) return Verdict::NonCompliant("ManagedActionsEnabled is not set");
  if (ToLower(*enabled) != "true")
    return Verdict::NonCompliant(TruncateUtf8(
        "managed platform updates are disabled (ManagedActionsEnabled is " + *enabled + ")", 256));
  if (auto wanted = ctx.Param("UpdateLevel"); wanted && !Trim(*wanted).empty()) {
    const std::optional<std::string> level =
        elasticbeanstalk::Option(settings, kPlatformUpdate, "UpdateLevel");
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
