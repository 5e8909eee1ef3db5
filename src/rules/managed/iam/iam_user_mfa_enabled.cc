// IAM_USER_MFA_ENABLED (iam-user-mfa-enabled): every IAM user must have an MFA device;
// NON_COMPLIANT otherwise.
//
// MFA devices are not part of the AWS::IAM::User CI. They come from the credential report (fact
// "iam-get-credential-report"): mfa_active of the user's row, found by user name or ARN.
//
// Choices where AWS's page is silent:
// - Every user is checked, with or without a console password or access keys (unlike
//   MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS, AWS names no exemption).
// - A user missing from the report gives no verdict: the report predates the user.
#include <string>

#include "rules/managed/iam/iam_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& user) {
  Verdict missing;
  const iam::CredentialReport::Row* row = iam::UserReportRow(ctx, user, &missing);
  if (row == nullptr) return missing;
  if (!iam::ReportTrue(row->Get("mfa_active")))
    return Verdict::NonCompliant("the user has no MFA device");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "IAM_USER_MFA_ENABLED",
    .resource_types = {"AWS::IAM::User"},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {"iam-get-credential-report"},
}};

}  // namespace
}  // namespace vigil::rules
