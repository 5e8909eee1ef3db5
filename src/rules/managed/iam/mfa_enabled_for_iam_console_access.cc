// MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS (mfa-enabled-for-iam-console-access): IAM users with a
// console password must have MFA enabled.
//
// Login profiles and MFA devices are not part of the IAM user CI; they come from the credential
// report (fact "iam-get-credential-report"): password_enabled and mfa_active of the user's row,
// found by user name (the CI's resourceName, or configuration.userName) or by ARN.
//
// Choices where AWS's page is silent:
// - A user without a console password (password_enabled "false") is COMPLIANT: the rule
//   constrains only "users that use a console password", and such a user breaks no constraint.
// - A user missing from the report gives no verdict: the report predates the user (AWS
//   regenerates it at most every 4 hours), so the fact must be collected again.
#include <string>

#include "rules/managed/iam/iam_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kFact = "iam-get-credential-report";

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& user) {
  Verdict missing;
  const iam::CredentialReport::Row* row = iam::UserReportRow(ctx, user, &missing);
  if (row == nullptr) return missing;
  if (!iam::ReportTrue(row->Get("password_enabled")))
    return Verdict::Compliant("the user has no console password");
  if (!iam::ReportTrue(row->Get("mfa_active")))
    return Verdict::NonCompliant("the user has a console password and no MFA device");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS",
    .resource_types = {"AWS::IAM::User"},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {kFact},
}};

}  // namespace
}  // namespace vigil::rules
