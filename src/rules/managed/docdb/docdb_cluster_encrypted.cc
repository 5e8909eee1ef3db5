// DOCDB_CLUSTER_ENCRYPTED (docdb-cluster-encrypted): storage encryption must be enabled for Amazon
// DocumentDB (with MongoDB compatibility) clusters: NON_COMPLIANT when it is not. kmsKeyArns
// (optional CSV) lists the KMS keys to compare with the encrypted cluster's KmsKeyId: a cluster
// encrypted with another key is NON_COMPLIANT.
//
// Data: AWS Config records DocumentDB clusters as AWS::RDS::DBCluster items with
// configuration.engine "docdb" (storageEncrypted, kmsKeyId); clusters of other engines are
// NOT_APPLICABLE. The check is rds::EvaluateClusterEncryption (rds_util.h).
//
// Choices where AWS's page is silent:
// - Keys compare as ENCRYPTED_VOLUMES does (ec2::KmsKeyMatches): ARNs exactly, a bare key ID with
//   the key part of the ARN.
// - A CI without storageEncrypted counts as unencrypted; one without engine gives no verdict:
//   MissingFact.
#include "rules/managed/rds/rds_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& cluster) {
  if (auto other = rds::RequireEngine(cluster, "docdb", "DocumentDB")) return *other;
  return rds::EvaluateClusterEncryption(cluster, ctx.CsvParam("kmsKeyArns"));
}

const ManagedRule kRule{{
    .identifier = "DOCDB_CLUSTER_ENCRYPTED",
    .resource_types = {"AWS::RDS::DBCluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "kmsKeyArns", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
