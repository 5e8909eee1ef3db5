// S3_LIFECYCLE_POLICY_CHECK (s3-lifecycle-policy-check): the bucket must have an enabled
// lifecycle rule, and, when parameters are given, an enabled rule that matches them:
// targetPrefix (the rule's prefix), targetExpirationDays (days after creation when objects
// expire), targetTransitionDays and targetTransitionStorageClass (a transition of the rule).
//
// Data: supplementaryConfiguration.BucketLifecycleConfiguration ({"rules": [{"id", "status",
// "prefix", "filter": {"predicate": {"type": "LifecyclePrefixPredicate", "prefix"} |
// {"type": "LifecycleAndOperator", "operands": [...]}}, "expirationInDays", "transitions":
// [{"days", "storageClass"}]}]}), which AWS Config omits when the bucket has none.
//
// Choices where AWS's page is silent:
// - "Matches the parameter values" means equality: expirationInDays == targetExpirationDays, a
//   transition with days == targetTransitionDays, the rule's prefix == targetPrefix (exact).
// - All the given parameters must be met by one and the same enabled rule, and the transition
//   days and storage class by one and the same transition.
// - A rule's prefix is its `prefix`, else the prefix of its filter (directly or within an And
//   filter), else "" (the whole bucket). Only current-version actions count; noncurrent-version
//   transitions and expirations do not.
// - Storage classes compare case-insensitively, ignoring "-" and "_", and the SDK's enum names
//   are accepted for the API's values (StandardInfrequentAccess = STANDARD_IA, ...).
// - bucketNames limits the rule to the listed buckets: others are NOT_APPLICABLE. Entries
//   compare exactly (trimmed).
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "common/strings.h"
#include "rules/managed/s3/s3_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

std::string NormalizeStorageClass(std::string_view s) {
  std::string out;
  for (char c : ToLower(s))
    if (c != '-' && c != '_' && c != ' ') out.push_back(c);
  if (out == "standardinfrequentaccess") return "standardia";
  if (out == "onezoneinfrequentaccess") return "onezoneia";
  if (out == "glacierinstantretrieval") return "glacierir";
  return out;
}

std::string RulePrefix(json::Value rule) {
  if (auto p = rule.Get("prefix").String()) return std::string(*p);
  const json::Value predicate = rule.Get("filter").Get("predicate");
  if (auto p = predicate.Get("prefix").String()) return std::string(*p);
  for (json::Value operand : predicate.Get("operands").Elements())
    if (auto p = operand.Get("prefix").String()) return std::string(*p);
  return {};
}

std::optional<std::int64_t> Days(json::Value v) {
  if (auto n = v.Number(); n && *n >= 0) return static_cast<std::int64_t>(*n);
  return std::nullopt;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& bucket) {
  const auto names = ctx.CsvParam("bucketNames");
  if (!names.empty() &&
      std::find(names.begin(), names.end(), s3::BucketName(bucket)) == names.end())
    return Verdict::NotApplicable("bucket is not listed in bucketNames");

  const std::optional<std::int64_t> want_transition_days = ctx.IntParam("targetTransitionDays");
  const std::optional<std::int64_t> want_expiration_days = ctx.IntParam("targetExpirationDays");
  const std::string want_class =
      NormalizeStorageClass(Trim(ctx.Param("targetTransitionStorageClass").value_or("")));
  const std::optional<std::string_view> want_prefix = ctx.Param("targetPrefix");

  int enabled = 0;
  for (json::Value rule :
       bucket.Supplementary("BucketLifecycleConfiguration").Get("rules").Elements()) {
    if (rule.Get("status").String().value_or("") != "Enabled") continue;
    ++enabled;
    if (want_prefix && !want_prefix->empty() && RulePrefix(rule) != *want_prefix) continue;
    if (want_expiration_days && Days(rule.Get("expirationInDays")) != want_expiration_days)
      continue;
    if (want_transition_days || !want_class.empty()) {
      bool found = false;
      for (json::Value t : rule.Get("transitions").Elements()) {
        if (want_transition_days && Days(t.Get("days")) != want_transition_days) continue;
        if (!want_class.empty() &&
            NormalizeStorageClass(t.Get("storageClass").String().value_or("")) != want_class)
          continue;
        found = true;
        break;
      }
      if (!found) continue;
    }
    return Verdict::Compliant();
  }
  if (enabled == 0) return Verdict::NonCompliant("the bucket has no enabled lifecycle rule");
  std::string wanted;
  auto add = [&](const std::string& s) { wanted += (wanted.empty() ? "" : ", ") + s; };
  if (want_prefix && !want_prefix->empty()) add("prefix '" + std::string(*want_prefix) + "'");
  if (want_expiration_days)
    add("expiration after " + std::to_string(*want_expiration_days) + " days");
  if (want_transition_days)
    add("transition after " + std::to_string(*want_transition_days) + " days");
  if (!want_class.empty())
    add("transition to " + std::string(Trim(*ctx.Param("targetTransitionStorageClass"))));
  return Verdict::NonCompliant(TruncateUtf8("no enabled lifecycle rule has " + wanted, 256));
}

const ManagedRule kRule{{
    .identifier = "S3_LIFECYCLE_POLICY_CHECK",
    .resource_types = {"AWS::S3::Bucket"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "targetTransitionDays", .type = ParamType::kInt, .optional = true},
                   {.name = "targetExpirationDays", .type = ParamType::kInt, .optional = true},
                   {.name = "targetTransitionStorageClass",
                    .type = ParamType::kString,
                    .optional = true},
                   {.name = "targetPrefix", .type = ParamType::kString, .optional = true},
                   {.name = "bucketNames", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
