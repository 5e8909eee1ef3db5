// ROOT_ACCOUNT_HARDWARE_MFA_ENABLED (root-account-hardware-mfa-enabled): the root user must sign
// in with a hardware MFA device; NON_COMPLIANT if it has no MFA or any virtual MFA device is
// assigned to it, NOT_APPLICABLE when the root user has no credentials (centralized root access).
// Account-level: evaluated once per account against an AWS::::Account item.
//
// Whether root has MFA comes from `aws iam get-account-summary` (SummaryMap.AccountMFAEnabled),
// or failing that from the credential report's <root_account> row (mfa_active). Whether a root
// device is virtual comes from the fact "iam-list-virtual-mfa-devices"
// (`aws iam list-virtual-mfa-devices`): a device assigned to the root user has User.Arn
// "arn:aws:iam::<account>:root"; the console names the root's first virtual device
// "arn:aws:iam::<account>:mfa/root-account-mfa-device".
//
// Choices where AWS's page is silent:
// - A virtual device counts as the root's when it is assigned (has a User) and its User.Arn ends
//   in ":root", or its serial number ends in ":mfa/root-account-mfa-device". Unassigned devices
//   do not count.
// - Root credentials are absent when the summary reports AccountPasswordPresent,
//   AccountAccessKeysPresent and AccountSigningCertificatesPresent all 0 and no MFA; a summary
//   without AccountPasswordPresent is read as a root user with a password.
// - A root user without any MFA is NON_COMPLIANT (it cannot sign in with a hardware device).
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/managed/iam/iam_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kVirtualFact = "iam-list-virtual-mfa-devices";

const model::FactKindRegistration kListVirtualMfaDevices{{
    .name = kVirtualFact,
    .command = "aws iam list-virtual-mfa-devices",
    .global = true,
    .keys_from = "",
    .answer_errors = "",
    .description = "virtual MFA devices and the users they are assigned to (root's is "
                   "arn:aws:iam::ACCOUNT:mfa/root-account-mfa-device, User.Arn ...:root)",
}};

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  // 1. Does the root user have MFA at all?
  bool mfa = false;
  const json::Value summary = iam::AccountSummaryMap(ctx, account);
  if (auto m = summary.Get("AccountMFAEnabled").Int()) {
    mfa = *m > 0;
    if (!mfa && iam::RootHasNoCredentials(summary))
      return Verdict::NotApplicable("the root user has no credentials");
  } else {
    Verdict missing;
    const iam::CredentialReport::Row* root =
        iam::RootReportRow(ctx, account, "AccountMFAEnabled", &missing);
    if (root == nullptr) return missing;
    mfa = iam::ReportTrue(root->Get("mfa_active"));
  }
  if (!mfa) return Verdict::NonCompliant("the root user has no MFA device");

  // 2. Is any root MFA device virtual?
  const json::Value devices = ctx.Fact(kVirtualFact, account).Get("VirtualMFADevices");
  if (!devices.IsArray())
    return Verdict::MissingFact(std::string(kVirtualFact),
                                "the root user has MFA; whether it is virtual needs "
                                "`aws iam list-virtual-mfa-devices`");
  for (const json::Value d : devices.Elements()) {
    const json::Value user = d.Get("User");
    if (!user.IsObject()) continue;  // not assigned
    const std::string_view serial = d.Get("SerialNumber").String().value_or("");
    const std::string_view user_arn = user.Get("Arn").String().value_or("");
    if (EndsWith(user_arn, ":root") || EndsWith(serial, ":mfa/root-account-mfa-device"))
      return Verdict::NonCompliant(TruncateUtf8(
          "the root user has a virtual MFA device (" + std::string(serial) + ")", 256));
  }
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {"iam-get-account-summary", kVirtualFact, "iam-get-credential-report"},
}};

}  // namespace
}  // namespace vigil::rules
