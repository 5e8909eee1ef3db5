// ROOT_ACCOUNT_MFA_ENABLED (root-account-mfa-enabled): the root user must have MFA enabled;
// NON_COMPLIANT otherwise, NOT_APPLICABLE when the root user has no credentials (centralized
// root access). Account-level: evaluated once per account against an AWS::::Account item.
//
// The answer comes from `aws iam get-account-summary` (SummaryMap.AccountMFAEnabled, 1 or 0;
// AccountPasswordPresent, AccountAccessKeysPresent and AccountSigningCertificatesPresent tell
// whether root credentials exist), or failing that from the credential report's <root_account>
// row (mfa_active).
//
// Choices where AWS's page is silent:
// - Root credentials are absent when the summary reports AccountPasswordPresent,
//   AccountAccessKeysPresent and AccountSigningCertificatesPresent all 0. A summary without
//   AccountPasswordPresent (older output) is read as a root user with a password, as every
//   account had before centralized root access.
// - A root user with MFA enabled is COMPLIANT even if it has no other credential.
// - The credential report cannot tell that root credentials are absent, so it never gives
//   NOT_APPLICABLE.
#include <string>

#include "rules/managed/iam/iam_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  const json::Value summary = iam::AccountSummaryMap(ctx, account);
  if (auto mfa = summary.Get("AccountMFAEnabled").Int()) {
    if (*mfa > 0) return Verdict::Compliant();
    if (iam::RootHasNoCredentials(summary))
      return Verdict::NotApplicable("the root user has no credentials");
    return Verdict::NonCompliant("the root user has no MFA device");
  }

  Verdict missing;
  const iam::CredentialReport::Row* root =
      iam::RootReportRow(ctx, account, "AccountMFAEnabled", &missing);
  if (root == nullptr) return missing;
  if (iam::ReportTrue(root->Get("mfa_active"))) return Verdict::Compliant();
  return Verdict::NonCompliant("the root user has no MFA device (credential report)");
}

const ManagedRule kRule{{
    .identifier = "ROOT_ACCOUNT_MFA_ENABLED",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {"iam-get-account-summary", "iam-get-credential-report"},
}};

}  // namespace
}  // namespace vigil::rules
