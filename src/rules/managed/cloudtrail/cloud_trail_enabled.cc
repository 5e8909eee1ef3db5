// CLOUD_TRAIL_ENABLED (cloudtrail-enabled): at least one CloudTrail trail must be enabled
// (logging) in the account and region; with the optional parameters s3BucketName, snsTopicArn
// and cloudWatchLogsLogGroupArn, an enabled trail must also deliver to that bucket, topic and log
// group. Account-level: evaluated against an AWS::::Account item, NON_COMPLIANT when there is no
// trail at all.
//
// Data: the trails come from the fact cloudtrail-describe-trails (which includes shadow trails of
// multi-region trails homed in other regions, so a multi-region trail enables every region), and
// "enabled" is IsLogging from the keyed fact cloudtrail-get-trail-status. The AWS::CloudTrail::
// Trail CI records neither the logging status nor shadow trails.
//
// Choices where AWS's page is silent:
// - "Enabled" means IsLogging is true; a trail that logs but last failed to deliver
//   (LatestDeliveryError) still counts.
// - The parameters are compared with the trail's S3BucketName, SnsTopicARN and
//   CloudWatchLogsLogGroupArn exactly (case-sensitive, no normalisation such as a trailing
//   ":*"); all given parameters must match the same trail. An empty parameter is no constraint.
// - A trail whose status was not collected (or is an error answer) is unknown: the rule is
//   COMPLIANT if another trail qualifies, and otherwise reports the status fact as missing
//   rather than guessing NON_COMPLIANT.
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/cloudtrail/cloudtrail_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  using namespace cloudtrail;
  Verdict verdict;
  const auto trails = TrailsToSearch(ctx, account, &verdict);
  if (!trails) return verdict;

  const json::Value status = ctx.Fact(kTrailStatus, account);
  TrailSearch search;
  for (const Trail& trail : *trails) {
    if (std::string why = DestinationMismatch(ctx, trail); !why.empty()) {
      search.Reject(trail, why);
      continue;
    }
    const auto logging = AnswerForTrail(status, trail).Get("IsLogging").Bool();
    if (!logging)
      search.Unknown(trail, kTrailStatus);
    else if (!*logging)
      search.Reject(trail, "not logging");
    else
      return Verdict::Compliant("trail " + std::string(trail.Label()) + " is logging");
  }
  return search.NoneQualifies("no trail is enabled as required");
}

const ManagedRule kRule{{
    .identifier = "CLOUD_TRAIL_ENABLED",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "s3BucketName", .type = ParamType::kString, .optional = true},
                   {.name = "snsTopicArn", .type = ParamType::kString, .optional = true},
                   {.name = "cloudWatchLogsLogGroupArn",
                    .type = ParamType::kString,
                    .optional = true}},
    .evaluate = &Evaluate,
    .facts = {cloudtrail::kDescribeTrails, cloudtrail::kTrailStatus},
}};

}  // namespace
}  // namespace vigil::rules
