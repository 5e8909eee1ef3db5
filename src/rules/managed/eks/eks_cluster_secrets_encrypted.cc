// EKS_CLUSTER_SECRETS_ENCRYPTED (eks-cluster-secrets-encrypted): EKS clusters must encrypt
// Kubernetes secrets with AWS KMS. AWS: NON_COMPLIANT if an EKS cluster does not have an
// encryptionConfig resource or if encryptionConfig does not name secrets as a resource;
// `kmsKeyArns` lists the KMS key ARNs approved for EKS usage.
//
// Data: configuration.EncryptionConfig[] (Resources, Provider.KeyArn) of the AWS::EKS::Cluster
// CI; see eks::SecretsEncryption.
//
// Choices where AWS's page is silent:
// - With `kmsKeyArns`, the key encrypting secrets must be one of them (AWS calls them "approved";
//   EKS_SECRETS_ENCRYPTED documents the same check); a key ARN matches exactly, a bare key ID
//   matches the ID part of the key ARN.
// - An absent EncryptionConfig is NON_COMPLIANT: AWS Config records the cluster's encryption
//   configuration, so its absence means there is none.
#include "rules/managed/eks/eks_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& cluster) {
  return eks::SecretsEncryption(ctx, cluster);
}

const ManagedRule kRule{{
    .identifier = "EKS_CLUSTER_SECRETS_ENCRYPTED",
    .resource_types = {"AWS::EKS::Cluster"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "kmsKeyArns", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
