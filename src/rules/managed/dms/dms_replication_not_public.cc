// DMS_REPLICATION_NOT_PUBLIC (dms-replication-not-public): AWS DMS replication instances must not
// be public; NON_COMPLIANT if `PubliclyAccessible` is true.
//
// AWS's periodic rule reads DescribeReplicationInstances. AWS Config records the same field in the
// AWS::DMS::ReplicationInstance CI (`configuration.PubliclyAccessible`, CloudFormation spelling),
// so vigil reads the CI and needs no fact.
//
// Choices where AWS's page is silent:
// - A CI without `PubliclyAccessible` is COMPLIANT (the field is not true). The string "true" (any
//   case) counts as true.
#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& instance) {
  const json::Value v = instance.Config().Get("PubliclyAccessible");
  if (v.Bool().value_or(false) || (v.IsString() && ToLower(Trim(v.AsText())) == "true"))
    return Verdict::NonCompliant("the replication instance is publicly accessible");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "DMS_REPLICATION_NOT_PUBLIC",
    .resource_types = {"AWS::DMS::ReplicationInstance"},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
