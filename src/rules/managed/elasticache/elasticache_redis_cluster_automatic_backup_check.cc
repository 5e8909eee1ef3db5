// ELASTICACHE_REDIS_CLUSTER_AUTOMATIC_BACKUP_CHECK
// (elasticache-redis-cluster-automatic-backup-check): ElastiCache Redis clusters must have
// automatic backups; NON_COMPLIANT if a cluster's SnapshotRetentionLimit is less than
// `snapshotRetentionPeriod` (default 15 days). Covers AWS::ElastiCache::CacheCluster and
// AWS::ElastiCache::ReplicationGroup.
//
// AWS Config does not record either type (neither is in the ResourceType enum of the Config API
// nor in aws-config-resource-schema): AWS's periodic rule reads the ElastiCache describe APIs.
// vigil reads, for an item of either type:
// - its own `configuration` when that holds the describe-API (= CloudFormation) fields
//   `SnapshotRetentionLimit` / `Engine` (an item built from the describe output); otherwise
// - the regional fact "elasticache-describe-cache-clusters" (CacheClusters[], matched on
//   CacheClusterId or ARN) or "elasticache-describe-replication-groups" (ReplicationGroups[],
//   matched on ReplicationGroupId or ARN). Without it, or when it lacks the resource, there is no
//   verdict.
// Since AWS Config never delivers these items, vigil evaluates this rule only for items of these
// types that it is given.
//
// Choices where AWS's page is silent:
// - The engine memcached is NOT_APPLICABLE (no automatic backups); every other engine (redis,
//   valkey) is evaluated.
// - "less than" is taken literally: a retention equal to `snapshotRetentionPeriod` is COMPLIANT
//   (AWS's example "non-compliant if between 0-15" for 15 is read as the half-open range).
// - A cache cluster that belongs to a replication group is judged on its own
//   SnapshotRetentionLimit, like any other cache cluster.
// - A record without SnapshotRetentionLimit has no automatic backups (0 days).
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

const model::FactKindRegistration kDescribeCacheClusters{{
    .name = "elasticache-describe-cache-clusters",
    .command = "aws elasticache describe-cache-clusters --region REGION",
    .global = false,
    .description = "ElastiCache cache clusters (engine, SnapshotRetentionLimit); AWS Config does "
                   "not record AWS::ElastiCache::CacheCluster",
}};

const model::FactKindRegistration kDescribeReplicationGroups{{
    .name = "elasticache-describe-replication-groups",
    .command = "aws elasticache describe-replication-groups --region REGION",
    .global = false,
    .description = "ElastiCache replication groups (SnapshotRetentionLimit); AWS Config does not "
                   "record AWS::ElastiCache::ReplicationGroup",
}};

struct Kind {
  std::string_view fact;
  std::string_view list;
  std::string_view id;
};
constexpr Kind kCluster{"elasticache-describe-cache-clusters", "CacheClusters", "CacheClusterId"};
constexpr Kind kGroup{"elasticache-describe-replication-groups", "ReplicationGroups",
                      "ReplicationGroupId"};

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  const Kind& kind = item.resource_type == "AWS::ElastiCache::ReplicationGroup" ? kGroup : kCluster;
  json::Value record = item.Config();
  if (record.Get("SnapshotRetentionLimit").Missing() && record.Get("Engine").Missing()) {
    const json::Value list = ctx.Fact(kind.fact, item).Get(kind.list);
    if (!list.IsArray())
      return Verdict::MissingFact(std::string(kind.fact),
                                  "AWS Config does not record " + std::string(item.resource_type) +
                                      "; collect " + std::string(kind.fact));
    record = json::Value();
    for (const json::Value r : list.Elements()) {
      const auto id = r.Get(kind.id).String();
      const auto arn = r.Get("ARN").String();
      if (id == item.resource_id || (arn && (*arn == item.resource_id || *arn == item.arn))) {
        record = r;
        break;
      }
    }
    if (record.Missing())
      return Verdict::MissingFact(std::string(kind.fact), std::string(kind.fact) + " has no " +
                                                              std::string(kind.id) + " " +
                                                              std::string(item.resource_id));
  }
  const std::string_view engine = record.Get("Engine").String().value_or("");
  if (ToLower(engine) == "memcached")
    return Verdict::NotApplicable("memcached clusters have no automatic backups");
  const std::int64_t days = record.Get("SnapshotRetentionLimit").Int().value_or(0);
  const std::int64_t minimum = ctx.IntParam("snapshotRetentionPeriod").value_or(15);
  if (days < minimum)
    return Verdict::NonCompliant("SnapshotRetentionLimit is " + std::to_string(days) +
                                 " day(s), less than " + std::to_string(minimum));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "ELASTICACHE_REDIS_CLUSTER_AUTOMATIC_BACKUP_CHECK",
    .resource_types = {"AWS::ElastiCache::CacheCluster", "AWS::ElastiCache::ReplicationGroup"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "snapshotRetentionPeriod",
                    .type = ParamType::kInt,
                    .default_value = "15",
                    .optional = true}},
    .evaluate = &Evaluate,
    .facts = {"elasticache-describe-cache-clusters", "elasticache-describe-replication-groups"},
    .synthesized = {{"AWS::ElastiCache::CacheCluster", "elasticache-describe-cache-clusters",
                     "CacheClusters", "CacheClusterId"},
                    {"AWS::ElastiCache::ReplicationGroup",
                     "elasticache-describe-replication-groups", "ReplicationGroups",
                     "ReplicationGroupId"}},
}};

}  // namespace
}  // namespace vigil::rules
