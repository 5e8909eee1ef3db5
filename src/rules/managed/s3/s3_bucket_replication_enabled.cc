// S3_BUCKET_REPLICATION_ENABLED (s3-bucket-replication-enabled): the bucket must have replication
// rules, and every one of them must be enabled. With ReplicationType CROSS-REGION (SAME-REGION),
// every enabled rule must replicate to a bucket in another region (the same region).
//
// Data: supplementaryConfiguration.BucketReplicationConfiguration, which AWS Config omits when the
// bucket has none. It records the rules as a map from rule ID to rule ({"roleARN": ...,
// "rules": {"<id>": {"status": "Enabled", "destinationConfig": {"bucketARN": ...}, ...}}}); a
// list of rules is read too. A destination bucket's region is not in the source bucket's CI: it
// comes from the destination's own recorded AWS::S3::Bucket item (in the account named by the
// rule's destinationConfig.account, else the bucket's account), found by name in any region.
//
// Choices where AWS's page is silent:
// - "Has a replication rule that is not enabled" is read literally: one Disabled rule makes the
//   bucket NON_COMPLIANT even when others are enabled.
// - ReplicationType is matched case-insensitively; any other value is not something the rule can
//   check, and the bucket is NOT_APPLICABLE with an annotation naming the bad value.
// - With ReplicationType, a destination bucket that is not recorded gives no verdict
//   (MissingFact "AWS::S3::Bucket"); without ReplicationType no destination is looked up.
#include <string>
#include <utility>
#include <vector>

#include "common/strings.h"
#include "rules/managed/s3/s3_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kBucketType = "AWS::S3::Bucket";

// The rules with their IDs, whether recorded as a map or a list.
std::vector<std::pair<std::string, json::Value>> Rules(json::Value config) {
  std::vector<std::pair<std::string, json::Value>> out;
  const json::Value rules = config.Get("rules");
  for (const auto& [id, rule] : rules.Members()) out.emplace_back(std::string(id), rule);
  size_t i = 0;
  for (json::Value rule : rules.Elements()) {
    ++i;
    std::string id(rule.Get("id").String().value_or(""));
    out.emplace_back(id.empty() ? "rule " + std::to_string(i) : id, rule);
  }
  return out;
}

std::string_view DestinationBucket(json::Value rule) {
  json::Value dest = rule.Get("destinationConfig");
  if (dest.Missing()) dest = rule.Get("destination");
  std::string_view arn =
      dest.Get("bucketARN")
          .String()
          .value_or(
              dest.Get("bucketArn").String().value_or(dest.Get("bucket").String().value_or("")));
  if (StartsWith(arn, "arn:")) {
    const size_t colons = arn.rfind(':');
    arn = arn.substr(colons + 1);
  }
  return arn;
}

// The region of the recorded bucket `name` in `account`; "" if it is not recorded.
std::string_view RecordedRegion(const RuleContext& ctx, std::string_view account,
                                std::string_view name) {
  bool known = false;
  for (const model::ConfigurationItem* b : ctx.env().Items(kBucketType, account, "", &known))
    if (b && s3::BucketName(*b) == name) return b->region;
  return {};
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& bucket) {
  const std::string type = ToLower(Trim(ctx.Param("ReplicationType").value_or("")));
  if (!type.empty() && type != "cross-region" && type != "same-region")
    return Verdict::NotApplicable("ReplicationType '" + std::string(*ctx.Param("ReplicationType")) +
                                  "' is neither CROSS-REGION nor SAME-REGION");
  const auto rules = Rules(bucket.Supplementary("BucketReplicationConfiguration"));
  if (rules.empty()) return Verdict::NonCompliant("the bucket has no replication rule");
  for (const auto& [id, rule] : rules) {
    const std::string_view status = rule.Get("status").String().value_or("");
    if (status != "Enabled")
      return Verdict::NonCompliant("replication rule '" + id + "' is not enabled");
  }
  if (type.empty()) return Verdict::Compliant();

  const bool want_cross = type == "cross-region";
  for (const auto& [id, rule] : rules) {
    const std::string_view dest = DestinationBucket(rule);
    std::string_view account =
        rule.Get("destinationConfig").Get("account").String().value_or(bucket.account_id);
    if (account.empty()) account = bucket.account_id;
    const std::string_view region = dest.empty() ? "" : RecordedRegion(ctx, account, dest);
    if (region.empty())
      return Verdict::MissingFact(std::string(kBucketType),
                                  "the region of destination bucket '" + std::string(dest) +
                                      "' (replication rule '" + id + "') is not recorded");
    const bool cross = region != bucket.region;
    if (cross != want_cross)
      return Verdict::NonCompliant("replication rule '" + id + "' replicates to '" +
                                   std::string(dest) + "' in " + std::string(region) + " (" +
                                   (cross ? "cross-region" : "same-region") + ")");
  }
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "S3_BUCKET_REPLICATION_ENABLED",
    .resource_types = {"AWS::S3::Bucket"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "ReplicationType", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
    .context_types = {"AWS::S3::Bucket"},
    .context_param = "ReplicationType",
}};

}  // namespace
}  // namespace vigil::rules
