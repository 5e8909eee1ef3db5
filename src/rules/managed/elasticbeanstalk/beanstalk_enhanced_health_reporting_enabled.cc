// BEANSTALK_ENHANCED_HEALTH_REPORTING_ENABLED (beanstalk-enhanced-health-reporting-enabled):
// Elastic Beanstalk environments must use enhanced health reporting. AWS: COMPLIANT if the
// environment is configured for enhanced health reporting; NON_COMPLIANT if it is configured for
// basic health reporting.
//
// Data: option SystemType of namespace aws:elasticbeanstalk:healthreporting:system in
// configuration.optionSettings of the AWS::ElasticBeanstalk::Environment CI ("enhanced" or
// "basic").
//
// Choices where AWS's page is silent:
// - SystemType compares ignoring case. An environment whose options do not carry SystemType is
//   NON_COMPLIANT: Elastic Beanstalk's API default is basic reporting.
// - A CI without optionSettings has no verdict.
#include <string>

#include "common/strings.h"
#include "rules/managed/elasticbeanstalk/elasticbeanstalk_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& env) {
  (void)ctx;
  const json::Value settings = elasticbeanstalk::OptionSettings(env);
  if (settings.Missing())
    return Verdict::MissingFact("AWS::ElasticBeanstalk::Environment",
                                "the configuration item has no optionSettings");
  const auto type = elasticbeanstalk::Option(
      settings, "aws:elasticbeanstalk:healthreporting:system", "SystemType");
  if (type && ToLower(*type) == "enhanced") return Verdict::Compliant();
  return Verdict::NonCompliant(TruncateUtf8(
      "health reporting is " + (type && !type->empty() ? *type : std::string("not set (basic)")),
      256));
}

const ManagedRule kRule{{
    .identifier = "BEANSTALK_ENHANCED_HEALTH_REPORTING_ENABLED",
    .resource_types = {"AWS::ElasticBeanstalk::Environment"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
