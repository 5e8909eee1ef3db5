// S3_EVENT_NOTIFICATIONS_ENABLED (s3-event-notifications-enabled): S3 event notifications must be
// set on the bucket. NON_COMPLIANT if none is set, or if the event type or destination do not
// match the eventTypes and destinationArn parameters.
//
// Data: supplementaryConfiguration.BucketNotificationConfiguration ({"configurations":
// {"<id>": {"events": ["s3:ObjectCreated:*", ...], "filter", "objectPrefixes", "topicARN" |
// "queueARN" | "functionARN", "type": "TopicConfiguration" | "QueueConfiguration" |
// "LambdaConfiguration"}}}), which AWS Config records for every bucket (with empty
// configurations when there are none).
//
// Choices where AWS's page is silent:
// - The parameters must be met by one and the same notification configuration: its destination
//   (any member whose name ends in "arn", ignoring case) equals destinationArn, and one of its
//   events matches one of eventTypes ("preferred" event types: any one suffices). Events match
//   when some event name fits both, wildcards included ("s3:ObjectCreated:*" matches
//   "s3:ObjectCreated:Put"); names compare case-sensitively.
// - A CI without BucketNotificationConfiguration gives no verdict: MissingFact.
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/iam/iam_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

std::string Destination(json::Value config) {
  for (const auto& [k, v] : config.Members())
    if (EndsWith(ToLower(k), "arn"))
      if (auto s = v.String(); s && !s->empty()) return std::string(*s);
  return {};
}

bool EventsMatch(json::Value config, const std::vector<std::string_view>& wanted) {
  if (wanted.empty()) return true;
  for (json::Value e : config.Get("events").Elements()) {
    const std::string_view event = e.String().value_or("");
    for (std::string_view w : wanted)
      if (iam::PatternsOverlap(event, w, /*case_insensitive=*/false)) return true;
  }
  return false;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& bucket) {
  const json::Value notifications = bucket.Supplementary("BucketNotificationConfiguration");
  if (!notifications.IsObject())
    return Verdict::MissingFact(
        "AWS::S3::Bucket",
        "the configuration item has no supplementaryConfiguration.BucketNotificationConfiguration");
  std::vector<json::Value> configs;
  json::Value all = notifications.Get("configurations");
  for (const auto& m : all.Members())
    if (m.value.IsObject()) configs.push_back(m.value);
  for (json::Value c : all.Elements())
    if (c.IsObject()) configs.push_back(c);
  if (configs.empty()) return Verdict::NonCompliant("the bucket has no event notifications");

  const std::string_view destination = Trim(ctx.Param("destinationArn").value_or(""));
  const std::vector<std::string_view> events = ctx.CsvParam("eventTypes");
  for (json::Value c : configs)
    if ((destination.empty() || Destination(c) == destination) && EventsMatch(c, events))
      return Verdict::Compliant();
  std::string why = "no event notification";
  if (!destination.empty()) why += " sends to " + std::string(destination);
  if (!destination.empty() && !events.empty()) why += " and";
  if (!events.empty()) why += " is for one of the eventTypes";
  return Verdict::NonCompliant(TruncateUtf8(why, 256));
}

const ManagedRule kRule{{
    .identifier = "S3_EVENT_NOTIFICATIONS_ENABLED",
    .resource_types = {"AWS::S3::Bucket"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "destinationArn", .type = ParamType::kString, .optional = true},
                   {.name = "eventTypes", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
