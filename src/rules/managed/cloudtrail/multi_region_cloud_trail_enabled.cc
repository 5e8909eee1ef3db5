// MULTI_REGION_CLOUD_TRAIL_ENABLED (multi-region-cloudtrail-enabled): at least one multi-region
// CloudTrail trail must exist, be logging and match the optional parameters (s3BucketName,
// snsTopicArn, cloudWatchLogsLogGroupArn, includeManagementEvents, readWriteType). A trail whose
// selectors exclude management event sources (ExcludeManagementEventSources not empty, e.g. KMS
// or RDS Data API events) does not count. Account-level: evaluated against an AWS::::Account item.
//
// Data: trails from the fact cloudtrail-describe-trails (IsMultiRegionTrail, destinations), the
// logging status from the keyed fact cloudtrail-get-trail-status (IsLogging), and the event
// selectors from the keyed fact cloudtrail-get-event-selectors (basic EventSelectors or
// AdvancedEventSelectors). The AWS::CloudTrail::Trail CI records neither status nor selectors.
//
// Choices where AWS's page is silent:
// - A trail counts only if it is logging (IsLogging true): a stopped trail records nothing.
// - s3BucketName, snsTopicArn and cloudWatchLogsLogGroupArn are compared exactly with the trail's
//   S3BucketName, SnsTopicARN and CloudWatchLogsLogGroupArn; empty parameters are no constraint.
// - includeManagementEvents and readWriteType must both be matched by one event selector of the
//   trail (IncludeManagementEvents equal to the parameter, ReadWriteType equal ignoring case,
//   "ALL" = "All"); a read-only selector and a write-only selector do not add up to ALL.
//   Advanced selectors: eventCategory = Management is IncludeManagementEvents true, and the
//   readOnly field gives the read/write type (absent = All).
// - The exclusion check applies to every selector that includes management events, whether or
//   not parameters are given: non-empty ExcludeManagementEventSources, or an advanced
//   management selector filtering on eventSource (or any field other than readOnly).
// - A trail with HasCustomEventSelectors false whose selectors were not collected has
//   CloudTrail's default selector (all management events, read and write, nothing excluded).
// - A readWriteType other than ReadOnly, WriteOnly or ALL (any case) can match no trail: the
//   rule is NON_COMPLIANT and says so.
// - A trail whose status or selectors were not collected is unknown: COMPLIANT if another trail
//   qualifies, otherwise the missing fact is reported instead of a verdict.
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/cloudtrail/cloudtrail_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

using cloudtrail::ManagementScope;

std::optional<std::string_view> NonEmptyParam(const RuleContext& ctx, std::string_view name) {
  auto v = ctx.Param(name);
  if (!v || Trim(*v).empty()) return std::nullopt;
  return Trim(*v);
}

// Why the selectors disqualify the trail, or "" if they qualify it.
std::string SelectorProblem(const std::vector<ManagementScope>& scopes,
                            std::optional<bool> want_management,
                            std::optional<std::string_view> want_rw) {
  for (const ManagementScope& s : scopes)
    if (s.include_management && !s.exclusion.empty())
      return "management events selector " + s.exclusion;
  if (!want_management && !want_rw) return {};
  for (const ManagementScope& s : scopes) {
    if (want_management && s.include_management != *want_management) continue;
    if (want_rw && ToLower(s.read_write) != ToLower(*want_rw)) continue;
    return {};
  }
  std::string wanted;
  if (want_management)
    wanted = std::string("IncludeManagementEvents ") + (*want_management ? "true" : "false");
  if (want_rw)
    wanted += (wanted.empty() ? "" : " and ") + ("ReadWriteType " + std::string(*want_rw));
  return "no event selector with " + wanted;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  using namespace cloudtrail;
  std::optional<bool> want_management;
  if (NonEmptyParam(ctx, "includeManagementEvents"))
    want_management = ctx.BoolParam("includeManagementEvents");
  const std::optional<std::string_view> want_rw = NonEmptyParam(ctx, "readWriteType");
  if (want_rw) {
    const std::string rw = ToLower(*want_rw);
    if (rw != "readonly" && rw != "writeonly" && rw != "all")
      return Verdict::NonCompliant(TruncateUtf8(
          "readWriteType '" + std::string(*want_rw) + "' is not ReadOnly, WriteOnly or ALL", 256));
  }

  Verdict verdict;
  const auto trails = TrailsToSearch(ctx, account, &verdict);
  if (!trails) return verdict;

  const json::Value status = ctx.Fact(kTrailStatus, account);
  const json::Value selectors = ctx.Fact(kEventSelectors, account);
  TrailSearch search;
  size_t multi = 0;
  for (const Trail& trail : *trails) {
    if (!trail.multi_region) continue;
    ++multi;
    std::string why = DestinationMismatch(ctx, trail);
    std::string_view unknown_fact;
    if (why.empty()) {
      if (const auto scopes = TrailManagementScopes(selectors, trail))
        why = SelectorProblem(*scopes, want_management, want_rw);
      else
        unknown_fact = kEventSelectors;
    }
    if (why.empty()) {
      const auto logging = AnswerForTrail(status, trail).Get("IsLogging").Bool();
      if (!logging)
        unknown_fact = kTrailStatus;
      else if (!*logging)
        why = "not logging";
    }
    if (!why.empty()) {
      search.Reject(trail, why);
      continue;
    }
    if (!unknown_fact.empty()) {
      search.Unknown(trail, unknown_fact);
      continue;
    }
    return Verdict::Compliant("multi-region trail " + std::string(trail.Label()) +
                              " is logging as required");
  }
  if (multi == 0)
    return Verdict::NonCompliant("no multi-region trail (" + std::to_string(trails->size()) +
                                 " single-region trail(s))");
  return search.NoneQualifies("no multi-region trail qualifies");
}

const ManagedRule kRule{{
    .identifier = "MULTI_REGION_CLOUD_TRAIL_ENABLED",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters =
        {{.name = "s3BucketName", .type = ParamType::kString, .optional = true},
         {.name = "snsTopicArn", .type = ParamType::kString, .optional = true},
         {.name = "cloudWatchLogsLogGroupArn", .type = ParamType::kString, .optional = true},
         {.name = "includeManagementEvents", .type = ParamType::kBoolean, .optional = true},
         {.name = "readWriteType", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
    .facts = {cloudtrail::kDescribeTrails, cloudtrail::kTrailStatus, cloudtrail::kEventSelectors},
}};

}  // namespace
}  // namespace vigil::rules
