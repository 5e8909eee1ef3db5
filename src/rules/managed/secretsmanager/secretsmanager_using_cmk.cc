// SECRETSMANAGER_USING_CMK (secretsmanager-using-cmk): Secrets Manager secrets must be encrypted
// with a customer managed KMS key. AWS: COMPLIANT if the secret is encrypted with a customer
// managed key; NON_COMPLIANT if it is encrypted with the AWS managed key aws/secretsmanager, and
// (AWS's note) when a cross-account key is used. `kmsKeyArns` lists the KMS key ARNs to check for.
//
// Data: configuration.KMSKeyId of the AWS::SecretsManager::Secret CI (DescribeSecret omits the
// key when the secret uses aws/secretsmanager). Whether a key given by ID or ARN is customer
// managed comes from configuration.keyManager of the recorded AWS::KMS::Key items.
//
// Choices where AWS's page is silent:
// - A key in another account than the secret's (by its ARN) is NON_COMPLIANT, before any other
//   check, as AWS's note says.
// - With `kmsKeyArns`, the secret is COMPLIANT exactly when its key is in the list (keys match as
//   in ec2::KmsKeyMatches: equal ARNs, or a bare key ID equal to an ARN's key part).
// - Without `kmsKeyArns`: an alias outside "alias/aws/" names a customer managed key (only AWS
//   creates aliases beginning "alias/aws/"); a key ID or ARN is looked up among the recorded
//   AWS::KMS::Key items (keyManager CUSTOMER or AWS). When the key is not recorded there is no
//   verdict (missing data).
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

std::string_view SecretKey(json::Value config) {
  for (std::string_view k : {"KMSKeyId", "KmsKeyId", "kmsKeyId"})
    if (auto v = config.Get(k).String(); v && !Trim(*v).empty()) return Trim(*v);
  return {};
}

// The account of a KMS ARN ("arn:aws:kms:REGION:ACCOUNT:key/ID"), "" for IDs and aliases.
std::string_view ArnAccount(std::string_view arn) {
  if (!StartsWith(arn, "arn:")) return {};
  const std::vector<std::string_view> parts = Split(arn, ':');
  return parts.size() > 4 ? parts[4] : std::string_view();
}

// The alias name ("alias/x") the key names, or "" if it names a key.
std::string_view AliasOf(std::string_view key) {
  const size_t a = key.find("alias/");
  if (a == std::string_view::npos) return {};
  if (a != 0 && !(StartsWith(key, "arn:") && key[a - 1] == ':')) return {};
  return key.substr(a);
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& secret) {
  const std::string_view key = SecretKey(secret.Config());
  if (key.empty())
    return Verdict::NonCompliant(
        "the secret is encrypted with the AWS managed key "
        "aws/secretsmanager");
  const std::string_view alias = AliasOf(key);
  if (alias == "alias/aws/secretsmanager")
    return Verdict::NonCompliant("the secret is encrypted with aws/secretsmanager");
  if (const std::string_view account = ArnAccount(key);
      !account.empty() && account != secret.account_id)
    return Verdict::NonCompliant(TruncateUtf8("the secret is encrypted with a key of account " +
                                                  std::string(account) +
                                                  "; AWS's rule cannot read cross-account keys",
                                              256));

  const std::vector<std::string_view> allowed = ctx.CsvParam("kmsKeyArns");
  if (!allowed.empty()) {
    for (std::string_view a : allowed)
      if (ec2::KmsKeyMatches(a, key)) return Verdict::Compliant();
    return Verdict::NonCompliant(
        TruncateUtf8("KMS key " + std::string(key) + " is not in kmsKeyArns", 256));
  }
  if (!alias.empty()) {
    if (StartsWith(alias, "alias/aws/"))
      return Verdict::NonCompliant(TruncateUtf8(
          "the secret is encrypted with the AWS managed key " + std::string(alias), 256));
    return Verdict::Compliant();
  }
  bool known = false;
  for (const model::ConfigurationItem* k :
       ctx.env().Items("AWS::KMS::Key", secret.account_id, secret.region, &known)) {
    const json::Value c = k->Config();
    const std::string_view arn = c.Get("arn").String().value_or(k->arn);
    const std::string_view id = c.Get("keyId").String().value_or(k->resource_id);
    if (key != arn && key != id && !ec2::KmsKeyMatches(key, arn)) continue;
    const std::string manager = ToLower(c.Get("keyManager").String().value_or(""));
    if (manager == "customer") return Verdict::Compliant();
    if (manager == "aws")
      return Verdict::NonCompliant(
          TruncateUtf8("the secret is encrypted with AWS managed key " + std::string(key), 256));
    break;
  }
  return Verdict::MissingFact(
      "AWS::KMS::Key",
      TruncateUtf8("whether KMS key " + std::string(key) +
                       " is customer managed is unknown: it is not among the recorded "
                       "AWS::KMS::Key items",
                   256));
}

const ManagedRule kRule{{
    .identifier = "SECRETSMANAGER_USING_CMK",
    .resource_types = {"AWS::SecretsManager::Secret"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "kmsKeyArns", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
    .context_types = {"AWS::KMS::Key"},
}};

}  // namespace
}  // namespace vigil::rules
