// ELASTIC_BEANSTALK_LOGS_TO_CLOUDWATCH (elastic-beanstalk-logs-to-cloudwatch): Elastic Beanstalk
// environments must stream their logs to CloudWatch Logs. AWS: NON_COMPLIANT if the value of
// StreamLogs is false; with `RetentionInDays`, NON_COMPLIANT if logs.RetentionInDays does not
// match it; with `DeleteOnTerminate`, NON_COMPLIANT if logs.DeleteOnTerminate does not match it.
//
// Data: options StreamLogs, RetentionInDays and DeleteOnTerminate of namespace
// aws:elasticbeanstalk:cloudwatch:logs in configuration.optionSettings of the
// AWS::ElasticBeanstalk::Environment CI.
//
// Choices where AWS's page is silent:
// - An environment whose options do not carry StreamLogs is NON_COMPLIANT (Elastic Beanstalk's
//   default is false). StreamLogs and DeleteOnTerminate compare ignoring case ("True" = "true").
// - RetentionInDays compares as a number when both sides are numbers, else as text; an option
//   that is not set does not match a given parameter.
// - A CI without optionSettings has no verdict.
#include <charconv>
#include <optional>
#include <string>

#include "common/strings.h"
#include "rules/managed/elasticbeanstalk/elasticbeanstalk_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kLogs = "aws:elasticbeanstalk:cloudwatch:logs";

std::optional<long> Number(std::string_view s) {
  long n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

bool SameDays(std::string_view a, std::string_view b) {
  const auto x = Number(a), y = Number(b);
  return x && y ? *x == *y : a == b;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& env) {
  const json::Value settings = elasticbeanstalk::OptionSettings(env);
  if (settings.Missing())
    return Verdict::MissingFact("AWS::ElasticBeanstalk::Environment",
                                "the configuration item has no optionSettings");
  const auto stream = elasticbeanstalk::Option(settings, kLogs, "StreamLogs");
  if (!stream || ToLower(*stream) != "true")
    return Verdict::NonCompliant(
        TruncateUtf8("logs are not streamed to CloudWatch Logs (StreamLogs is " +
                         (stream ? *stream : std::string("not set")) + ")",
                     256));
  if (auto want = ctx.Param("RetentionInDays"); want && !Trim(*want).empty()) {
    const auto days = elasticbeanstalk::Option(settings, kLogs, "RetentionInDays");
    if (!days || !SameDays(*days, Trim(*want)))
      return Verdict::NonCompliant(
          TruncateUtf8("log retention is " + (days ? *days + " days" : std::string("not set")) +
                           ", not " + std::string(Trim(*want)),
                       256));
  }
  if (auto want = ctx.Param("DeleteOnTerminate"); want && !Trim(*want).empty()) {
    const auto del = elasticbeanstalk::Option(settings, kLogs, "DeleteOnTerminate");
    if (!del || ToLower(*del) != ToLower(Trim(*want)))
      return Verdict::NonCompliant(TruncateUtf8("DeleteOnTerminate is " +
                                                    (del ? *del : std::string("not set")) +
                                                    ", not " + std::string(Trim(*want)),
                                                256));
  }
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "ELASTIC_BEANSTALK_LOGS_TO_CLOUDWATCH",
    .resource_types = {"AWS::ElasticBeanstalk::Environment"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "RetentionInDays", .type = ParamType::kString, .optional = true},
                   {.name = "DeleteOnTerminate", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
