#include "rules/managed/sagemaker/sagemaker_util.h"

#include <string>
#include <string_view>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"

namespace vigil::rules::sagemaker {

Verdict EvaluateKmsKeyConfigured(const RuleContext& ctx, const model::ConfigurationItem& item) {
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

std::vector<ParamSpec> KmsKeyConfiguredParams() {
  return {{.name = "kmsKeyArns", .type = ParamType::kString, .optional = true}};
}

}  // namespace vigil::rules::sagemaker
