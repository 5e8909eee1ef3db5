// EKS helpers shared by the EKS managed rules: reading AWS::EKS::Cluster CIs, which AWS Config
// records in the CloudFormation spelling (`configuration.ResourcesVpcConfig.EndpointPublicAccess`,
// `configuration.EncryptionConfig[].Provider.KeyArn`); the EKS API's camelCase spelling
// (`resourcesVpcConfig.endpointPublicAccess`) is accepted too: the rules read fields with
// PascalOrCamel (rules/fact_util.h).
#pragma once

#include <string_view>

#include "json/value.h"
#include "model/configuration_item.h"
#include "rules/fact_util.h"
#include "rules/rule.h"

namespace vigil::rules::eks {

// The verdict of EKS_CLUSTER_SECRETS_ENCRYPTED and EKS_SECRETS_ENCRYPTED, which AWS documents
// alike: NON_COMPLIANT if the cluster has no EncryptionConfig entry whose Resources include
// "secrets" (ignoring case); with `kmsKeyArns` given, NON_COMPLIANT unless that entry's
// Provider.KeyArn (else the cluster's EncryptionConfigKeyArn) is one of them (ec2::KmsKeyMatches:
// ARNs exactly, a bare key ID against the key ARN's ID); COMPLIANT otherwise.
Verdict SecretsEncryption(const RuleContext& ctx, const model::ConfigurationItem& cluster);

}  // namespace vigil::rules::eks
