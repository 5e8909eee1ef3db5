// CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED (cloud-trail-cloud-watch-logs-enabled): a CloudTrail
// trail must send its logs to CloudWatch Logs: NON_COMPLIANT when the trail's
// CloudWatchLogsLogGroupArn is empty. With expectedDeliveryWindowAge (hours), the most recent
// delivery to CloudWatch Logs must also be at most that old.
//
// Data: configuration.cloudWatchLogsLogGroupArn of the AWS::CloudTrail::Trail CI. The latest
// delivery time is not in the CI: it is LatestCloudWatchLogsDeliveryTime from the keyed fact
// cloudtrail-get-trail-status (keyed by trail ARN), read only when expectedDeliveryWindowAge is
// given.
//
// Choices where AWS's page is silent:
// - The delivery's age is measured from the time of evaluation (the clock when vigil runs), as a
//   periodic rule runs at that time; a delivery time later than that counts as age 0.
// - With expectedDeliveryWindowAge, a trail whose status shows no
//   LatestCloudWatchLogsDeliveryTime (nothing delivered yet) is NON_COMPLIANT.
// - expectedDeliveryWindowAge 0 or less is no constraint (AWS documents no minimum).
#include <string>

#include "common/strings.h"
#include "common/time.h"
#include "rules/managed/cloudtrail/cloudtrail_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

std::optional<EpochMillis> ReadTime(json::Value v) {
  if (auto s = v.String()) return ParseTimestamp(*s);
  if (auto n = v.Number()) return FromEpochSeconds(*n);
  return std::nullopt;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& trail) {
  const json::Value config = trail.Config();
  const std::string_view group = config.Get("cloudWatchLogsLogGroupArn").String().value_or("");
  if (Trim(group).empty())
    return Verdict::NonCompliant("trail does not send logs to CloudWatch Logs");

  const std::optional<std::int64_t> window = ctx.IntParam("expectedDeliveryWindowAge");
  if (!window || *window <= 0) return Verdict::Compliant();

  cloudtrail::Trail key;
  key.arn = config.Get("trailARN").String().value_or(trail.arn);
  key.name = config.Get("name").String().value_or(trail.resource_name);
  const json::Value status =
      cloudtrail::AnswerForTrail(ctx.Fact(cloudtrail::kTrailStatus, trail), key);
  if (status.Missing())
    return Verdict::MissingFact(
        std::string(cloudtrail::kTrailStatus),
        TruncateUtf8("the status of trail " + std::string(key.Label()) + " was not collected",
                     256));
  const json::Value latest = status.Get("LatestCloudWatchLogsDeliveryTime");
  if (latest.Missing() || latest.IsNull())
    return Verdict::NonCompliant("trail has not delivered logs to CloudWatch Logs yet");
  const std::optional<EpochMillis> when = ReadTime(latest);
  if (!when)
    return Verdict::MissingFact(
        std::string(cloudtrail::kTrailStatus),
        "unreadable LatestCloudWatchLogsDeliveryTime '" + TruncateUtf8(latest.AsText(), 64) + "'");
  const EpochMillis age = ctx.Now() - *when;
  if (age > *window * 3600 * 1000)
    return Verdict::NonCompliant("latest delivery to CloudWatch Logs was " +
                                 std::to_string(age / 3600000) + " hours ago (" +
                                 FormatIso8601(*when) + "), more than " + std::to_string(*window));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED",
    .resource_types = {"AWS::CloudTrail::Trail"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "expectedDeliveryWindowAge",
                    .type = ParamType::kInt,
                    .optional = true}},
    .evaluate = &Evaluate,
    .facts = {cloudtrail::kTrailStatus},
}};

}  // namespace
}  // namespace vigil::rules
