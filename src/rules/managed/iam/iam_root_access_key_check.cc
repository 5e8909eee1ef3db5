// IAM_ROOT_ACCESS_KEY_CHECK (iam-root-access-key-check): the root user must have no access key.
// Account-level: evaluated once per account against an AWS::::Account item.
//
// The answer comes from `aws iam get-account-summary` (SummaryMap.AccountAccessKeysPresent, the
// number of root access keys, active or not), or failing that from the credential report's
// <root_account> row.
//
// Choices where AWS's page is silent:
// - AWS says COMPLIANT "if the user access key does not exist", so an inactive root key is still
//   NON_COMPLIANT. In the credential report a key exists when access_key_N_active is true or
//   access_key_N_last_rotated is a date (it is "N/A" when there is no key N).
#include <string>

#include "rules/managed/iam/iam_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

bool KeyExists(const iam::CredentialReport::Row& row, int n) {
  const std::string prefix = "access_key_" + std::to_string(n);
  if (iam::ReportTrue(row.Get(prefix + "_active"))) return true;
  const std::string_view rotated = row.Get(prefix + "_last_rotated");
  return !rotated.empty() && rotated != "N/A" && rotated != "not_supported";
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  const json::Value summary = iam::AccountSummaryMap(ctx, account);
  if (auto present = summary.Get("AccountAccessKeysPresent").Int()) {
    if (*present > 0)
      return Verdict::NonCompliant("the root user has " + std::to_string(*present) +
                                   " access key(s)");
    return Verdict::Compliant();
  }

  Verdict missing;
  const iam::CredentialReport::Row* root =
      iam::RootReportRow(ctx, account, "AccountAccessKeysPresent", &missing);
  if (root == nullptr) return missing;
  const bool key1 = KeyExists(*root, 1);
  const bool key2 = KeyExists(*root, 2);
  if (key1 || key2)
    return Verdict::NonCompliant(std::string("the root user has access key ") + (key1 && key2
                                                                                     ? "1 and 2"
                                                                                 : key1 ? "1"
                                                                                        : "2"));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "IAM_ROOT_ACCESS_KEY_CHECK",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {"iam-get-account-summary", "iam-get-credential-report"},
}};

}  // namespace
}  // namespace vigil::rules
