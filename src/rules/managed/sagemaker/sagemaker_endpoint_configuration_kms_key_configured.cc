// SAGEMAKER_ENDPOINT_CONFIGURATION_KMS_KEY_CONFIGURED
// (sagemaker-endpoint-configuration-kms-key-configured): a KMS key must be configured for every
// SageMaker endpoint configuration. AWS: NON_COMPLIANT if 'KmsKeyId' is not specified;
// `kmsKeyArns` (comma-separated) lists the KMS key ARNs allowed.
//
// Data: configuration.KmsKeyId of the AWS::SageMaker::EndpointConfig CI (the rule is periodic; AWS
// Config records the same field the Describe API returns).
//
// Choices where AWS's page is silent (the check is sagemaker::EvaluateKmsKeyConfigured's):
// - With `kmsKeyArns`, a configured key outside the list is NON_COMPLIANT. Keys match as in
//   ec2::KmsKeyMatches: equal ARNs, or a bare key ID equal to an ARN's key part; aliases match
//   only themselves.
// - Only the endpoint configuration's own KmsKeyId (the key for the ML storage volumes of the
//   endpoint) counts; DataCaptureConfig.KmsKeyId and per-variant keys are other settings.
#include "rules/managed/sagemaker/sagemaker_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

const ManagedRule kRule{{
    .identifier = "SAGEMAKER_ENDPOINT_CONFIGURATION_KMS_KEY_CONFIGURED",
    .resource_types = {"AWS::SageMaker::EndpointConfig"},
    .trigger = Trigger::kPeriodic,
    .parameters = sagemaker::KmsKeyConfiguredParams(),
    .evaluate = &sagemaker::EvaluateKmsKeyConfigured,
}};

}  // namespace
}  // namespace vigil::rules
