// EC2_STOPPED_INSTANCE (ec2-stopped-instance): EC2 instances must not stay stopped for more than
// `AllowedDays` days (default 30). AWS: NON_COMPLIANT if the instance has been stopped for longer
// than the allowed number of days, or if the amount of time cannot be determined.
//
// Data: configuration.state.name and configuration.stateTransitionReason of the
// AWS::EC2::Instance CI. EC2 records when a stop began in the reason, as
// "User initiated (2017-04-05 22:23:11 GMT)"; the time stopped is the evaluation time
// (RuleContext::Now) minus that time. (AWS reads the instance's configuration history for the
// same date; vigil keeps only the latest CI, whose transition reason carries it.)
//
// Choices where AWS's page is silent:
// - A terminated instance is NOT_APPLICABLE (as in the other EC2 instance rules); an instance in
//   any state other than "stopped" (pending, running, stopping, shutting-down) is COMPLIANT.
// - "Longer than" is strict: an instance stopped exactly AllowedDays days ago is COMPLIANT.
// - A stopped instance whose transition reason carries no parseable "(YYYY-MM-DD HH:MM:SS GMT)"
//   time is NON_COMPLIANT: AWS's "cannot be determined" case.
// - A CI without a state has no verdict.
#include <cstdint>
#include <optional>
#include <string>

#include "common/strings.h"
#include "common/time.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::int64_t kDayMillis = 86'400'000;

// The time inside the parentheses of a transition reason such as
// "User initiated (2017-04-05 22:23:11 GMT)" or "Server.ScheduledStop (2019-01-01 00:00:00 GMT)".
std::optional<EpochMillis> StopTime(std::string_view reason) {
  const size_t open = reason.rfind('(');
  if (open == std::string_view::npos) return std::nullopt;
  const size_t close = reason.find(')', open);
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view when = Trim(reason.substr(open + 1, close - open - 1));
  for (std::string_view zone : {"GMT", "UTC"})
    if (EndsWith(when, zone)) when = Trim(when.substr(0, when.size() - zone.size()));
  return ParseTimestamp(when);
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& instance) {
  const json::Value config = instance.Config();
  const std::string state = ec2::InstanceStateName(config);
  if (state.empty())
    return Verdict::MissingFact("AWS::EC2::Instance", "the configuration item has no state");
  if (state == "terminated") return Verdict::NotApplicable("instance is terminated");
  if (state != "stopped") return Verdict::Compliant("instance is " + state);

  const std::int64_t allowed = ctx.IntParam("AllowedDays").value_or(30);
  const std::string_view reason = config.Get("stateTransitionReason").String().value_or("");
  const std::optional<EpochMillis> since = StopTime(reason);
  if (!since)
    return Verdict::NonCompliant(TruncateUtf8(
        "instance is stopped and the time it stopped cannot be determined (reason: \"" +
            std::string(reason) + "\")",
        256));
  const EpochMillis stopped_for = ctx.Now() - *since;
  if (stopped_for > allowed * kDayMillis)
    return Verdict::NonCompliant("instance has been stopped since " + FormatIso8601(*since) + " (" +
                                 std::to_string(stopped_for / kDayMillis) +
                                 " days; allowed: " + std::to_string(allowed) + ")");
  return Verdict::Compliant("instance has been stopped since " + FormatIso8601(*since));
}

const ManagedRule kRule{{
    .identifier = "EC2_STOPPED_INSTANCE",
    .resource_types = {"AWS::EC2::Instance"},
    .trigger = Trigger::kPeriodic,
    .parameters =
        {{.name = "AllowedDays", .type = ParamType::kInt, .default_value = "30", .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
