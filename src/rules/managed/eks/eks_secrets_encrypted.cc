// EKS_SECRETS_ENCRYPTED (eks-secrets-encrypted): EKS clusters must have Kubernetes secrets
// encrypted with AWS KMS keys. AWS: COMPLIANT if the cluster has an encryptionConfig with
// secrets as one of the resources, and (with `kmsKeyArns`) the key used to encrypt secrets
// matches the parameter; NON_COMPLIANT if the cluster has no encryptionConfig, if its resources
// do not include secrets, or if the key does not match the parameter.
//
// Data: configuration.EncryptionConfig[] (Resources, Provider.KeyArn) of the AWS::EKS::Cluster
// CI; see eks::SecretsEncryption.
//
// Choices where AWS's page is silent:
// - A key ARN in `kmsKeyArns` matches exactly; a bare key ID matches the ID part of the key ARN.
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
    .identifier = "EKS_SECRETS_ENCRYPTED",
    .resource_types = {"AWS::EKS::Cluster"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "kmsKeyArns", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
