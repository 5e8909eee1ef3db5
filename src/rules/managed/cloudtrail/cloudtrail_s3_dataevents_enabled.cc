// CLOUDTRAIL_S3_DATAEVENTS_ENABLED (cloudtrail-s3-dataevents-enabled): at least one CloudTrail
// trail must log S3 data events for all buckets, or, with S3BucketNames (a comma-separated list
// of bucket names), for each named bucket. NOT_APPLICABLE when the region has no trail.
// Account-level: evaluated against an AWS::::Account item.
//
// Data: trails from the fact cloudtrail-describe-trails, their selectors from the keyed fact
// cloudtrail-get-event-selectors (basic EventSelectors or AdvancedEventSelectors). As in AWS's
// original implementation of this rule (awslabs/aws-config-rules), only trails homed in the
// evaluated region count (describe-trails without shadow trails), trails without custom event
// selectors log no data events, logging all buckets is a DataResources value "arn:aws:s3"
// (or "arn:aws:s3:::"), a value naming a prefix inside a bucket does not count for the bucket,
// the named buckets may be covered by different trails, and the trail's logging status and
// ReadWriteType are not considered.
//
// Choices where AWS's page is silent:
// - Advanced event selectors count like basic ones (see cloudtrail::S3DataEvents): eventCategory
//   Data on resources.type AWS::S3::Object, with no resources.ARN condition for all buckets or
//   resources.ARN StartsWith bucket ARNs; a selector with any other condition (ARN exclusions,
//   eventName, ...) counts for no bucket, and readOnly is ignored as ReadWriteType is.
// - A trail without a HomeRegion counts as homed in the evaluated region.
// - Bucket names in S3BucketNames are trimmed and compared exactly; empty entries are dropped.
// - A trail with custom selectors whose selectors were not collected is unknown: COMPLIANT if
//   other trails suffice, otherwise the fact is reported missing.
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/cloudtrail/cloudtrail_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  using namespace cloudtrail;
  Verdict missing;
  const auto trails = TrailsOf(ctx, account, &missing);
  if (!trails) return missing;
  std::vector<const Trail*> home;
  for (const Trail& t : *trails)
    if (t.home_region.empty() || t.home_region == account.region) home.push_back(&t);
  if (home.empty()) return Verdict::NotApplicable("no CloudTrail trail is homed in this region");

  std::vector<std::string> wanted;
  for (std::string_view b : Split(ctx.Param("S3BucketNames").value_or(""), ','))
    if (!Trim(b).empty()) wanted.emplace_back(Trim(b));

  const json::Value selectors = ctx.Fact(kEventSelectors, account);
  S3DataCoverage covered;
  std::string unknown;
  for (const Trail* t : home) {
    if (!t->has_custom_event_selectors) continue;
    const json::Value sel = AnswerForTrail(selectors, *t);
    if (sel.Missing()) {
      if (unknown.empty()) unknown = std::string(t->Label());
      continue;
    }
    const S3DataCoverage c = S3DataEvents(sel);
    if (c.all_buckets)
      return Verdict::Compliant("trail " + std::string(t->Label()) +
                                " logs S3 data events for all buckets");
    covered.buckets.insert(covered.buckets.end(), c.buckets.begin(), c.buckets.end());
  }

  std::string not_logged;
  for (const std::string& b : wanted)
    if (!covered.Covers(b)) not_logged += (not_logged.empty() ? "" : ", ") + b;
  if (!wanted.empty() && not_logged.empty())
    return Verdict::Compliant("S3 data events are logged for every bucket in S3BucketNames");
  if (!unknown.empty())
    return Verdict::MissingFact(
        std::string(kEventSelectors),
        TruncateUtf8("the event selectors of trail " + unknown + " were not collected", 256));
  if (wanted.empty()) return Verdict::NonCompliant("no trail logs S3 data events for all buckets");
  return Verdict::NonCompliant(
      TruncateUtf8("no trail logs S3 data events for bucket(s): " + not_logged, 256));
}

const ManagedRule kRule{{
    .identifier = "CLOUDTRAIL_S3_DATAEVENTS_ENABLED",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "S3BucketNames", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
    .facts = {cloudtrail::kDescribeTrails, cloudtrail::kEventSelectors},
}};

}  // namespace
}  // namespace vigil::rules
