// CW_LOGGROUP_RETENTION_PERIOD_CHECK (cw-loggroup-retention-period-check): a CloudWatch Logs log
// group must keep its events at least `MinRetentionTime` days (default 365). AWS: NON_COMPLIANT
// if the retention period is less than MinRetentionTime, if specified, or else 365 days; a log
// group set to "Never expire" is COMPLIANT. `LogGroupNames` limits the check to those groups.
//
// Data: the AWS::Logs::LogGroup CI's retention in days, configuration.retentionInDays
// (DescribeLogGroups' spelling) or configuration.RetentionInDays (CloudFormation's); absent means
// "Never expire". The name is configuration.logGroupName / LogGroupName, else the resource ID.
//
// Choices where AWS's page is silent:
// - Log groups not named in LogGroupNames (when it is given) are NOT_APPLICABLE; names are
//   compared exactly.
// - MinRetentionTime is used as given, even if it is not one of the retention values CloudWatch
//   Logs offers; an empty MinRetentionTime means the default 365.
// - A retention of 0 or less in the CI is read as "Never expire" (CloudWatch Logs reports no
//   retention for such groups).
#include <algorithm>
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::int64_t kDefaultMinimum = 365;

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& group) {
  const json::Value c = group.Config();
  std::string_view name = Trim(c.Get("logGroupName").String().value_or(""));
  if (name.empty()) name = Trim(c.Get("LogGroupName").String().value_or(""));
  if (name.empty()) name = group.resource_id;

  const auto names = ctx.CsvParam("LogGroupNames");
  if (!names.empty() && std::find(names.begin(), names.end(), name) == names.end())
    return Verdict::NotApplicable("the log group is not in LogGroupNames");

  const std::int64_t minimum = ctx.IntParam("MinRetentionTime").value_or(kDefaultMinimum);
  json::Value retention = c.Get("retentionInDays");
  if (retention.Missing() || retention.IsNull()) retention = c.Get("RetentionInDays");
  const auto days = retention.Int();
  if (!days || *days <= 0) return Verdict::Compliant("the log group never expires its events");
  if (*days < minimum)
    return Verdict::NonCompliant("retention is " + std::to_string(*days) + " days, less than " +
                                 std::to_string(minimum));
  return Verdict::Compliant("retention is " + std::to_string(*days) + " days");
}

const ManagedRule kRule{{
    .identifier = "CW_LOGGROUP_RETENTION_PERIOD_CHECK",
    .resource_types = {"AWS::Logs::LogGroup"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "LogGroupNames", .type = ParamType::kCsv, .optional = true},
                   {.name = "MinRetentionTime", .type = ParamType::kInt, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
