// CloudTrail helpers shared by the CloudTrail managed rules: the three CloudTrail account facts
// (registered in cloudtrail_util.cc), the trails they describe, and what a trail's event
// selectors log.
//
// Facts (all regional; the keyed ones are keyed by trail ARN):
//   cloudtrail-describe-trails      `aws cloudtrail describe-trails --region REGION`: every trail
//                                   visible in the region, shadow trails of multi-region trails
//                                   homed elsewhere included ({"trailList": [...]}).
//   cloudtrail-get-trail-status     `aws cloudtrail get-trail-status --region REGION --name KEY`:
//                                   {"<TrailARN>": {"IsLogging": true, ...}, ...}
//   cloudtrail-get-event-selectors  `aws cloudtrail get-event-selectors --region REGION
//                                   --trail-name KEY`: {"<TrailARN>": {"EventSelectors": [...]}
//                                   or {"AdvancedEventSelectors": [...]}, ...}
//
// All functions are pure and thread-safe; views point into the facts' documents.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json/value.h"
#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::rules::cloudtrail {

inline constexpr std::string_view kDescribeTrails = "cloudtrail-describe-trails";
inline constexpr std::string_view kTrailStatus = "cloudtrail-get-trail-status";
inline constexpr std::string_view kEventSelectors = "cloudtrail-get-event-selectors";

// One element of describe-trails' trailList.
struct Trail {
  std::string_view name;
  std::string_view arn;
  std::string_view home_region;
  std::string_view s3_bucket_name;
  std::string_view sns_topic_arn;
  std::string_view cloud_watch_logs_log_group_arn;
  bool multi_region = false;
  // HasCustomEventSelectors; when false the trail logs all management events (read and write)
  // and no data events, which is also what get-event-selectors reports for it.
  bool has_custom_event_selectors = false;
  json::Value raw;  // the trailList element itself
  // The name, or the ARN when the trail has no name (for annotations).
  std::string_view Label() const { return name.empty() ? arn : name; }
};

// The trails of a describe-trails answer; nullopt if `fact` has no `trailList` array.
std::optional<std::vector<Trail>> ReadTrails(json::Value fact);
// The trails of the account and region (fact cloudtrail-describe-trails); nullopt, with
// `*missing` set to MissingFact, when the fact was not collected or has no trailList.
std::optional<std::vector<Trail>> TrailsOf(const RuleContext& ctx,
                                           const model::ConfigurationItem& account,
                                           Verdict* missing);

// The first of the optional parameters s3BucketName, snsTopicArn and cloudWatchLogsLogGroupArn
// (rules CLOUD_TRAIL_ENABLED and MULTI_REGION_CLOUD_TRAIL_ENABLED) that the trail does not match,
// described for an annotation ("S3 bucket 'a', not 'b'"); "" when it matches every parameter
// given. Values are compared exactly (case-sensitive, no normalisation), as AWS documents the
// parameters as the values CloudTrail reports; an empty parameter is no constraint.
std::string DestinationMismatch(const RuleContext& ctx, const Trail& trail);

// The per-trail answer of a keyed fact (status or selectors), or Missing. Looks the trail up by
// ARN, then by name (a hand-collected fact may be keyed by name).
json::Value ForTrail(json::Value keyed_fact, const Trail& trail);
// The trail's answer as ForTrail finds it, or Missing when it was not collected, is not an object
// or is an error answer: an answer the rules can read.
json::Value AnswerForTrail(json::Value keyed_fact, const Trail& trail);

// For the account-level rules that look for one trail that qualifies (CLOUD_TRAIL_ENABLED,
// CLOUDTRAIL_SECURITY_TRAIL_ENABLED, MULTI_REGION_CLOUD_TRAIL_ENABLED):
// - TrailsToSearch gives the trails to search: nullopt, with `*verdict` set, when TrailsOf finds
//   none to read (MissingFact) or the region has no trail at all (NON_COMPLIANT "no CloudTrail
//   trail exists");
// - TrailSearch collects why each trail was rejected, and the first trail whose data was not
//   collected. Such a trail is unknown: the rule is COMPLIANT if another trail qualifies, and
//   otherwise reports the missing fact rather than guessing NON_COMPLIANT.
std::optional<std::vector<Trail>> TrailsToSearch(const RuleContext& ctx,
                                                 const model::ConfigurationItem& account,
                                                 Verdict* verdict);
class TrailSearch {
 public:
  // The trail does not qualify: `why` joins the annotation as "<trail>: <why>".
  void Reject(const Trail& trail, std::string_view why);
  // Whether the trail qualifies is unknown: `fact` was not collected for it.
  void Unknown(const Trail& trail, std::string_view fact);
  // The verdict when no trail qualified: MissingFact("<fact> was not collected for trail <t>")
  // for the first unknown trail, else NON_COMPLIANT "<summary>: <reasons>".
  Verdict NoneQualifies(std::string_view summary) const;

 private:
  std::string reasons_;
  std::string unknown_fact_;
  std::string unknown_trail_;
};

// What one event selector (basic or advanced) logs about management events.
struct ManagementScope {
  bool include_management = false;  // IncludeManagementEvents / eventCategory = Management
  std::string read_write = "All";   // "All", "ReadOnly" or "WriteOnly"
  // Why the selector does not log every management event of its read/write type: non-empty
  // ExcludeManagementEventSources, an eventSource filter, or another field that narrows it.
  std::string exclusion;
};

// The management scope of each selector in a get-event-selectors answer (basic EventSelectors
// or AdvancedEventSelectors). Empty when the answer holds no selector.
std::vector<ManagementScope> ManagementScopes(json::Value selectors);
// The scopes of a trail whose selectors were not collected but that has no custom selectors:
// CloudTrail's default selector (all management events, read and write, nothing excluded).
std::vector<ManagementScope> DefaultManagementScopes();
// The management scopes of a trail: from its answer in the selectors fact
// (cloudtrail-get-event-selectors), else DefaultManagementScopes when the trail has no custom
// selectors; nullopt when they are unknown (custom selectors that were not collected).
std::optional<std::vector<ManagementScope>> TrailManagementScopes(json::Value selectors_fact,
                                                                  const Trail& trail);

// Which S3 buckets a trail's selectors log object-level data events for.
struct S3DataCoverage {
  bool all_buckets = false;
  std::vector<std::string> buckets;  // bucket names (whole buckets only, no prefixes)
  bool Covers(std::string_view bucket) const;
};
// Basic selectors: DataResources of Type AWS::S3::Object; a value "arn:<partition>:s3" or
// "arn:<partition>:s3:::" means every bucket, "arn:<partition>:s3:::<bucket>[/]" one bucket, and
// a value naming a prefix inside a bucket covers no whole bucket. ReadWriteType is not
// considered. Advanced selectors: eventCategory = Data and resources.type = AWS::S3::Object;
// with no resources.ARN condition every bucket, with resources.ARN StartsWith values as for
// basic values. A selector with any other condition (an ARN exclusion, EndsWith or Equals on
// resources.ARN, eventName, ...) counts for nothing; readOnly is not considered.
S3DataCoverage S3DataEvents(json::Value selectors);

}  // namespace vigil::rules::cloudtrail
