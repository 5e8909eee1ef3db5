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
  const json::Value summary = ctx.Fact("iam-get-account-summary", account).Get("SummaryMap");
  if (auto mfa = summary.Get("AccountMFAEnabled").Int()) {
    if (*mfa > 0) return Verdict::Compliant();
    const auto password = summary.Get("AccountPasswordPresent").Int();
    const auto keys = summary.Get("AccountAccessKeysPresent").Int().value_or(0);
    const auto certs = summary.Get("AccountSigningCertificatesPresent").Int().value_or(0);
    if (password && *password == 0 && keys == 0 && certs == 0)
      return Verdict::NotApplicable("the root user has no credentials");
    return Verdict::NonCompliant("the root user has no MFA device");
  }

  const json::Value report_fact = ctx.Fact("iam-get-credential-report", account);
  if (!report_fact.Missing()) {
    std::string error;
    if (auto report = iam::CredentialReport::Cached(report_fact, &error)) {
      if (const auto* root = report->Root()) {
        if (iam::ReportTrue(root->Get("mfa_active"))) return Verdict::Compliant();
        return Verdict::NonCompliant("the root user has no MFA device (credential report)");
      }
      error = "the credential report has no <root_account> row";
    }
    return Verdict::MissingFact("iam-get-account-summary", error);
  }
  return Verdict::MissingFact("iam-get-account-summary",
                              summary.Missing() ? "neither iam-get-account-summary nor "
                                                  "iam-get-credential-report was collected"
                                                : "iam-get-account-summary has no "
                                                  "SummaryMap.AccountMFAEnabled");
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
