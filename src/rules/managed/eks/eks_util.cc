#include "rules/managed/eks/eks_util.h"

#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"

namespace vigil::rules::eks {

Verdict SecretsEncryption(const RuleContext& ctx, const model::ConfigurationItem& cluster) {
  const json::Value config = cluster.Config();
  bool secrets = false;
  std::string_view key;
  for (json::Value entry : PascalOrCamel(config, "EncryptionConfig").Elements()) {
    bool names_secrets = false;
    for (json::Value r : PascalOrCamel(entry, "Resources").Elements())
      names_secrets |= ToLower(Trim(r.String().value_or(""))) == "secrets";
    if (!names_secrets) continue;
    secrets = true;
    key = Trim(PascalOrCamel(PascalOrCamel(entry, "Provider"), "KeyArn").String().value_or(""));
    break;
  }
  if (!secrets) return Verdict::NonCompliant("Kubernetes secrets are not encrypted with a KMS key");
  const std::vector<std::string_view> approved = ctx.CsvParam("kmsKeyArns");
  if (approved.empty()) return Verdict::Compliant();
  if (key.empty())
    key = Trim(PascalOrCamel(config, "EncryptionConfigKeyArn").String().value_or(""));
  for (std::string_view wanted : approved)
    if (ec2::KmsKeyMatches(wanted, key)) return Verdict::Compliant();
  return Verdict::NonCompliant(
      TruncateUtf8("secrets are encrypted with " +
                       (key.empty() ? std::string("an unnamed key") : std::string(key)) +
                       ", which is not one of kmsKeyArns",
                   256));
}

}  // namespace vigil::rules::eks
