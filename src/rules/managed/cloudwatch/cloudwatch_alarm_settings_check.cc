// CLOUDWATCH_ALARM_SETTINGS_CHECK (cloudwatch-alarm-settings-check): CloudWatch alarms on the
// metric `metricName` must have the given settings: `period` (seconds, default 300), and when
// given `statistic`, `comparisonOperator`, `threshold` and `evaluationPeriods`.
//
// Data: the AWS::CloudWatch::Alarm CI's configuration (metricName, period, statistic,
// extendedStatistic, comparisonOperator, threshold, evaluationPeriods).
//
// Choices where AWS's page is silent:
// - Alarms on another metric (or metric-math alarms without a metricName) are NOT_APPLICABLE;
//   metric names are compared exactly (CloudWatch names are case-sensitive).
// - `period` always applies through its default of 300, as AWS documents it.
// - `statistic` matches the alarm's statistic, or its extendedStatistic (a percentile such as
//   p99); `statistic` and `comparisonOperator` are compared exactly. `threshold` is compared
//   numerically with the alarm's (floating-point) threshold.
// - A setting that is required but absent from the CI does not match (NON_COMPLIANT).
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

std::string Shown(const json::Value& v) {
  const std::string s = v.AsText();
  return s.empty() ? "(none)" : s;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& alarm) {
  const json::Value c = alarm.Config();
  const std::string_view metric = Trim(ctx.Param("metricName").value_or(""));
  const std::string_view alarm_metric = c.Get("metricName").String().value_or("");
  if (alarm_metric != metric)
    return Verdict::NotApplicable(TruncateUtf8(
        "the alarm's metric is " + std::string(alarm_metric.empty() ? "(none)" : alarm_metric) +
            ", not " + std::string(metric),
        256));

  std::string bad;
  auto add = [&](std::string what) { bad += (bad.empty() ? "" : "; ") + what; };
  if (auto period = ctx.IntParam("period"); period && c.Get("period").Int() != *period)
    add("period " + Shown(c.Get("period")) + ", not " + std::to_string(*period));
  if (auto stat = ctx.Param("statistic"); stat && !Trim(*stat).empty()) {
    const std::string_view s = Trim(*stat);
    if (c.Get("statistic").String().value_or("") != s &&
        c.Get("extendedStatistic").String().value_or("") != s) {
      const json::Value shown =
          c.Get("statistic").Empty() ? c.Get("extendedStatistic") : c.Get("statistic");
      add("statistic " + Shown(shown) + ", not " + std::string(s));
    }
  }
  if (auto op = ctx.Param("comparisonOperator"); op && !Trim(*op).empty()) {
    if (c.Get("comparisonOperator").String().value_or("") != Trim(*op))
      add("comparisonOperator " + Shown(c.Get("comparisonOperator")) + ", not " +
          std::string(Trim(*op)));
  }
  if (auto threshold = ctx.IntParam("threshold")) {
    const auto t = c.Get("threshold").Number();
    if (!t || *t != static_cast<double>(*threshold))
      add("threshold " + Shown(c.Get("threshold")) + ", not " + std::to_string(*threshold));
  }
  if (auto periods = ctx.IntParam("evaluationPeriods");
      periods && c.Get("evaluationPeriods").Int() != *periods)
    add("evaluationPeriods " + Shown(c.Get("evaluationPeriods")) + ", not " +
        std::to_string(*periods));
  if (bad.empty()) return Verdict::Compliant();
  return Verdict::NonCompliant(TruncateUtf8(bad, 256));
}

const ManagedRule kRule{{
    .identifier = "CLOUDWATCH_ALARM_SETTINGS_CHECK",
    .resource_types = {"AWS::CloudWatch::Alarm"},
    .trigger = Trigger::kConfigurationChange,
    .parameters =
        {{.name = "metricName", .type = ParamType::kString, .optional = false},
         {.name = "period", .type = ParamType::kInt, .default_value = "300", .optional = true},
         {.name = "statistic", .type = ParamType::kString, .optional = true},
         {.name = "comparisonOperator", .type = ParamType::kString, .optional = true},
         {.name = "threshold", .type = ParamType::kInt, .optional = true},
         {.name = "evaluationPeriods", .type = ParamType::kInt, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
