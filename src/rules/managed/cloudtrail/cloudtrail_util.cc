#include "rules/managed/cloudtrail/cloudtrail_util.h"

#include <algorithm>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/fact_util.h"

namespace vigil::rules::cloudtrail {
namespace {

const model::FactKindRegistration kDescribeTrailsFact{{
    .name = kDescribeTrails,
    .command = "aws cloudtrail describe-trails --region REGION",
    .global = false,
    .description = "the trails visible in the region, shadow trails of multi-region trails "
                   "included",
}};

const model::FactKindRegistration kTrailStatusFact{{
    .name = kTrailStatus,
    .command = "aws cloudtrail get-trail-status --region REGION --name KEY",
    .global = false,
    .keys_from = "cloudtrail-describe-trails:trailList[].TrailARN",
    .description = "whether each trail is logging, and its latest deliveries",
}};

const model::FactKindRegistration kEventSelectorsFact{{
    .name = kEventSelectors,
    .command = "aws cloudtrail get-event-selectors --region REGION --trail-name KEY",
    .global = false,
    .keys_from = "cloudtrail-describe-trails:trailList[].TrailARN",
    .description = "the basic or advanced event selectors of each trail",
}};

std::string_view Str(json::Value v, std::string_view key) {
  return v.Get(key).String().value_or("");
}

std::vector<std::string_view> Strings(json::Value v) {
  std::vector<std::string_view> out;
  for (json::Value e : v.Elements())
    if (auto s = e.String()) out.push_back(*s);
  return out;
}

bool Contains(const std::vector<std::string_view>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

std::string Join(const std::vector<std::string_view>& parts) {
  std::string out;
  for (std::string_view p : parts) {
    if (!out.empty()) out += ", ";
    out += p;
  }
  return out;
}

// One advanced field selector's conditions, by operator.
struct FieldConditions {
  std::vector<std::string_view> equals, starts_with, ends_with, not_equals, not_starts_with,
      not_ends_with;
  bool OnlyEqualsOrStartsWith() const {
    return ends_with.empty() && not_equals.empty() && not_starts_with.empty() &&
           not_ends_with.empty();
  }
};

FieldConditions ReadField(json::Value field) {
  return {Strings(field.Get("Equals")),        Strings(field.Get("StartsWith")),
          Strings(field.Get("EndsWith")),      Strings(field.Get("NotEquals")),
          Strings(field.Get("NotStartsWith")), Strings(field.Get("NotEndsWith"))};
}

// "All", "ReadOnly" or "WriteOnly" from an advanced selector's readOnly field.
std::string ReadWriteFromReadOnly(const FieldConditions& c) {
  bool reads = true;
  bool writes = true;
  auto has = [](const std::vector<std::string_view>& v, std::string_view s) {
    for (std::string_view x : v)
      if (ToLower(x) == s) return true;
    return false;
  };
  if (!c.equals.empty()) {
    reads = has(c.equals, "true");
    writes = has(c.equals, "false");
  }
  if (has(c.not_equals, "true")) reads = false;
  if (has(c.not_equals, "false")) writes = false;
  if (reads && !writes) return "ReadOnly";
  if (writes && !reads) return "WriteOnly";
  return "All";
}

ManagementScope AdvancedScope(json::Value selector) {
  ManagementScope scope;
  std::vector<std::string_view> categories;
  std::optional<FieldConditions> read_only;
  std::vector<std::string> narrowing;
  for (json::Value field : selector.Get("FieldSelectors").Elements()) {
    const std::string_view name = Str(field, "Field");
    const FieldConditions c = ReadField(field);
    if (name == "eventCategory") {
      categories = c.equals;
    } else if (name == "readOnly") {
      read_only = c;
    } else if (name == "eventSource" && !c.not_equals.empty() && c.equals.empty() &&
               c.starts_with.empty() && c.ends_with.empty() && c.not_starts_with.empty() &&
               c.not_ends_with.empty()) {
      narrowing.push_back("excludes event sources " + Join(c.not_equals));
    } else {
      narrowing.push_back("filters on " + std::string(name));
    }
  }
  scope.include_management = Contains(categories, "Management");
  if (read_only) scope.read_write = ReadWriteFromReadOnly(*read_only);
  if (scope.include_management) {
    for (const std::string& n : narrowing) {
      if (!scope.exclusion.empty()) scope.exclusion += "; ";
      scope.exclusion += n;
    }
  }
  return scope;
}

// Whole-bucket coverage of one S3 ARN value or prefix: sets `all` or appends a bucket name.
void ClassifyS3Value(std::string_view value, S3DataCoverage& out) {
  value = Trim(value);
  if (!StartsWith(value, "arn:")) return;
  const size_t s3 = value.find(":s3");
  if (s3 == std::string_view::npos) return;
  std::string_view rest = value.substr(s3 + 3);
  if (rest.empty()) {  // "arn:<partition>:s3"
    out.all_buckets = true;
    return;
  }
  if (!StartsWith(rest, ":::")) return;
  rest.remove_prefix(3);
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty()) {  // "arn:<partition>:s3:::"
    out.all_buckets = true;
    return;
  }
  if (rest.find('/') != std::string_view::npos) return;  // a prefix inside a bucket
  out.buckets.emplace_back(rest);
}

}  // namespace

std::optional<std::vector<Trail>> ReadTrails(json::Value fact) {
  const json::Value list = fact.Get("trailList");
  if (!list.IsArray()) return std::nullopt;
  std::vector<Trail> out;
  for (json::Value t : list.Elements()) {
    Trail trail;
    trail.name = Str(t, "Name");
    trail.arn = Str(t, "TrailARN");
    trail.home_region = Str(t, "HomeRegion");
    trail.s3_bucket_name = Str(t, "S3BucketName");
    trail.sns_topic_arn = Str(t, "SnsTopicARN");
    trail.cloud_watch_logs_log_group_arn = Str(t, "CloudWatchLogsLogGroupArn");
    trail.multi_region = t.Get("IsMultiRegionTrail").Bool().value_or(false);
    trail.has_custom_event_selectors = t.Get("HasCustomEventSelectors").Bool().value_or(false);
    trail.raw = t;
    out.push_back(trail);
  }
  return out;
}

std::optional<std::vector<Trail>> TrailsOf(const RuleContext& ctx,
                                           const model::ConfigurationItem& account,
                                           Verdict* missing) {
  const json::Value fact = ctx.Fact(kDescribeTrails, account);
  std::optional<std::vector<Trail>> trails = ReadTrails(fact);
  if (!trails)
    *missing = Verdict::MissingFact(std::string(kDescribeTrails),
                                    fact.Missing() ? "the trails of the region were not collected"
                                                   : "cloudtrail-describe-trails has no trailList");
  return trails;
}

std::string DestinationMismatch(const RuleContext& ctx, const Trail& trail) {
  struct Check {
    std::string_view param, what, actual;
  };
  const Check checks[] = {{"s3BucketName", "S3 bucket", trail.s3_bucket_name},
                          {"snsTopicArn", "SNS topic", trail.sns_topic_arn},
                          {"cloudWatchLogsLogGroupArn", "CloudWatch Logs log group",
                           trail.cloud_watch_logs_log_group_arn}};
  for (const Check& c : checks) {
    const std::string_view wanted = Trim(ctx.Param(c.param).value_or(""));
    if (wanted.empty() || wanted == c.actual) continue;
    if (c.actual.empty())
      return "no " + std::string(c.what) + ", wanted '" + std::string(wanted) + "'";
    return std::string(c.what) + " '" + std::string(c.actual) + "', not '" + std::string(wanted) +
           "'";
  }
  return {};
}

json::Value ForTrail(json::Value keyed_fact, const Trail& trail) {
  if (!trail.arn.empty())
    if (json::Value v = keyed_fact.Get(trail.arn); !v.Missing()) return v;
  if (!trail.name.empty()) return keyed_fact.Get(trail.name);
  return {};
}

json::Value AnswerForTrail(json::Value keyed_fact, const Trail& trail) {
  const json::Value answer = ForTrail(keyed_fact, trail);
  if (!answer.IsObject() || ErrorAnswerOf(answer)) return {};
  return answer;
}

std::optional<std::vector<Trail>> TrailsToSearch(const RuleContext& ctx,
                                                 const model::ConfigurationItem& account,
                                                 Verdict* verdict) {
  std::optional<std::vector<Trail>> trails = TrailsOf(ctx, account, verdict);
  if (trails && trails->empty()) {
    *verdict = Verdict::NonCompliant("no CloudTrail trail exists");
    return std::nullopt;
  }
  return trails;
}

void TrailSearch::Reject(const Trail& trail, std::string_view why) {
  if (!reasons_.empty()) reasons_ += "; ";
  reasons_ += std::string(trail.Label()) + ": " + std::string(why);
}

void TrailSearch::Unknown(const Trail& trail, std::string_view fact) {
  if (!unknown_fact_.empty()) return;
  unknown_fact_ = fact;
  unknown_trail_ = trail.Label();
}

Verdict TrailSearch::NoneQualifies(std::string_view summary) const {
  if (!unknown_fact_.empty())
    return Verdict::MissingFact(
        unknown_fact_,
        TruncateUtf8(unknown_fact_ + " was not collected for trail " + unknown_trail_, 256));
  return Verdict::NonCompliant(TruncateUtf8(std::string(summary) + ": " + reasons_, 256));
}

std::vector<ManagementScope> ManagementScopes(json::Value selectors) {
  std::vector<ManagementScope> out;
  if (const json::Value advanced = selectors.Get("AdvancedEventSelectors"); advanced.Size() > 0) {
    for (json::Value s : advanced.Elements()) out.push_back(AdvancedScope(s));
    return out;
  }
  for (json::Value s : selectors.Get("EventSelectors").Elements()) {
    ManagementScope scope;
    scope.include_management = s.Get("IncludeManagementEvents").Bool().value_or(true);
    if (auto rw = s.Get("ReadWriteType").String(); rw && !rw->empty())
      scope.read_write = std::string(*rw);
    if (const auto excluded = Strings(s.Get("ExcludeManagementEventSources")); !excluded.empty())
      scope.exclusion = "ExcludeManagementEventSources " + Join(excluded);
    out.push_back(scope);
  }
  return out;
}

std::vector<ManagementScope> DefaultManagementScopes() {
  return {ManagementScope{.include_management = true, .read_write = "All", .exclusion = {}}};
}

bool S3DataCoverage::Covers(std::string_view bucket) const {
  return all_buckets || std::find(buckets.begin(), buckets.end(), bucket) != buckets.end();
}

std::optional<std::vector<ManagementScope>> TrailManagementScopes(json::Value selectors_fact,
                                                                  const Trail& trail) {
  if (const json::Value answer = AnswerForTrail(selectors_fact, trail); !answer.Missing())
    return ManagementScopes(answer);
  if (!trail.has_custom_event_selectors) return DefaultManagementScopes();
  return std::nullopt;
}

S3DataCoverage S3DataEvents(json::Value selectors) {
  S3DataCoverage out;
  for (json::Value s : selectors.Get("EventSelectors").Elements())
    for (json::Value resource : s.Get("DataResources").Elements()) {
      if (Str(resource, "Type") != "AWS::S3::Object") continue;
      for (std::string_view v : Strings(resource.Get("Values"))) ClassifyS3Value(v, out);
    }
  for (json::Value s : selectors.Get("AdvancedEventSelectors").Elements()) {
    bool data = false;
    bool s3_objects = false;
    bool narrowed = false;
    std::optional<FieldConditions> arn;
    for (json::Value field : s.Get("FieldSelectors").Elements()) {
      const std::string_view name = Str(field, "Field");
      const FieldConditions c = ReadField(field);
      if (name == "eventCategory") {
        data = Contains(c.equals, "Data");
      } else if (name == "resources.type") {
        s3_objects = Contains(c.equals, "AWS::S3::Object");
      } else if (name == "resources.ARN") {
        arn = c;
      } else if (name != "readOnly") {
        narrowed = true;
      }
    }
    if (!data || !s3_objects || narrowed) continue;
    if (!arn) {
      out.all_buckets = true;
      continue;
    }
    if (!arn->OnlyEqualsOrStartsWith() || !arn->equals.empty()) continue;
    for (std::string_view v : arn->starts_with) ClassifyS3Value(v, out);
  }
  return out;
}

}  // namespace vigil::rules::cloudtrail
