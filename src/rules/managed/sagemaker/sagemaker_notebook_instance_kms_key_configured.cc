// SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED (sagemaker-notebook-instance-kms-key-configured):
// a KMS key must be configured for every SageMaker notebook instance. AWS: NON_COMPLIANT if
// 'KmsKeyId' is not specified; `kmsKeyArns` (comma-separated) lists the KMS key ARNs allowed.
//
// Data: configuration.KmsKeyId of the AWS::SageMaker::NotebookInstance CI (the rule is periodic;
// AWS Config records the same field the Describe API returns).
//
// Choices where AWS's page is silent:
// - With `kmsKeyArns`, a configured key outside the list is NON_COMPLIANT. Keys match as in
//   ec2::KmsKeyMatches: equal ARNs, or a bare key ID equal to an ARN's key part; aliases match
//   only themselves.
#include <string>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  std::string_view key = item.Config().Get("KmsKeyId").String().value_or("");
  if (key.empty()) key = item.Config().Get("kmsKeyId").String().value_or("");
  key = Trim(key);
  if (key.empty()) return Verdict::NonCompliant("no KMS key is configured");
  bool listed = false, any = false;
  for (std::string_view allowed : Split(ctx.Param("kmsKeyArns").value_or(""), ',')) {
    if (Trim(allowed).empty()) continue;
    any = true;
    if (ec2::KmsKeyMatches(allowed, key)) listed = true;
  }
  if (any && !listed)
    return Verdict::NonCompliant(
        TruncateUtf8("KMS key " + std::string(key) + " is not in kmsKeyArns", 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED",
    .resource_types = {"AWS::SageMaker::NotebookInstance"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "kmsKeyArns", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
