// REDSHIFT_CLUSTER_KMS_ENABLED (redshift-cluster-kms-enabled): Amazon Redshift clusters must be
// encrypted with a KMS key, and with one of kmsKeyArns when it is given: COMPLIANT when encryption
// is enabled and the cluster's key is a listed one; NON_COMPLIANT when the cluster is not
// encrypted or is encrypted with another key.
//
// Data: the AWS::Redshift::Cluster CI (encrypted, kmsKeyId).
//
// Choices where AWS's page is silent:
// - Without kmsKeyArns, any KMS key will do: an encrypted cluster with a recorded kmsKeyId is
//   COMPLIANT.
// - An encrypted cluster without a kmsKeyId (encrypted with an HSM) is NON_COMPLIANT: it is not
//   encrypted with a KMS key.
// - Keys compare as ENCRYPTED_VOLUMES does (ec2::KmsKeyMatches): ARNs exactly, a bare key ID
//   with the key part of the ARN.
// - A CI without encrypted is treated as unencrypted.
#include <string>

#include "common/strings.h"
#include "rules/managed/rds/rds_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& cluster) {
  const json::Value config = cluster.Config();
  if (!config.Get("encrypted").Bool().value_or(false))
    return Verdict::NonCompliant("the cluster is not encrypted");
  const std::string_view key = Trim(config.Get("kmsKeyId").String().value_or(""));
  if (key.empty()) return Verdict::NonCompliant("the cluster is not encrypted with a KMS key");
  if (const auto keys = ctx.CsvParam("kmsKeyArns"); !keys.empty() && !rds::KmsKeyListed(keys, key))
    return Verdict::NonCompliant(TruncateUtf8(
        "the cluster is encrypted with KMS key '" + std::string(key) + "', not a listed key", 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "REDSHIFT_CLUSTER_KMS_ENABLED",
    .resource_types = {"AWS::Redshift::Cluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "kmsKeyArns", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
