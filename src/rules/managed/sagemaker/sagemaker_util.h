// SageMaker helpers shared by the SageMaker managed rules.
#pragma once

#include <vector>

#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::rules::sagemaker {

// The whole of SAGEMAKER_ENDPOINT_CONFIGURATION_KMS_KEY_CONFIGURED and
// SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED: the CI's configuration.KmsKeyId (or kmsKeyId)
// must be set, NON_COMPLIANT otherwise; with the parameter kmsKeyArns (comma-separated), the key
// must match one of its entries as ec2::KmsKeyMatches compares them (equal ARNs, or a bare key ID
// equal to an ARN's key part; aliases match only themselves).
Verdict EvaluateKmsKeyConfigured(const RuleContext& ctx, const model::ConfigurationItem& item);

// The parameters of those two rules: the optional string kmsKeyArns.
std::vector<ParamSpec> KmsKeyConfiguredParams();

}  // namespace vigil::rules::sagemaker
