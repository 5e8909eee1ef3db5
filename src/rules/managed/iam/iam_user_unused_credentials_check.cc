// IAM_USER_UNUSED_CREDENTIALS_CHECK (iam-user-unused-credentials-check): an IAM user's console
// password and active access keys must each have been used within `maxCredentialUsageAge` days;
// NON_COMPLIANT otherwise.
//
// Credentials and their last use are not part of the AWS::IAM::User CI. They come from the
// credential report (fact "iam-get-credential-report"): password_enabled, password_last_used,
// access_key_N_active and access_key_N_last_used_date of the user's row. Ages are measured at the
// report's GeneratedTime: the rule API has no clock, and the report is the snapshot the verdict
// describes (AWS also evaluates against the report, regenerated at most every 4 hours).
//
// Choices where AWS's page is silent:
// - A credential never used is aged from when it was issued: a password from
//   password_last_changed (else the user's creation time), an access key from its
//   access_key_N_last_rotated date. A credential issued recently is therefore not "unused".
// - The age is counted in whole days (rounded down); a credential is unused when that count
//   exceeds maxCredentialUsageAge.
// - Inactive access keys are ignored (AWS names "active access keys"); a user with neither a
//   console password nor an active key is COMPLIANT.
// - A user missing from the report gives no verdict (the report predates the user), nor does a
//   credential with no readable date at all, or a report without GeneratedTime.
#include <string>

#include "common/strings.h"
#include "rules/managed/iam/iam_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kFact = "iam-get-credential-report";

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& user) {
  Verdict missing;
  const auto report = iam::DatedUserReportRow(ctx, user, &missing);
  if (!report) return missing;
  const iam::CredentialReport::Row& row = *report->row;
  const std::int64_t max_age = ctx.IntParam("maxCredentialUsageAge").value_or(90);

  std::string unused;
  int credentials = 0;
  auto check = [&](std::string_view what, std::optional<EpochMillis> used,
                   std::optional<EpochMillis> issued) -> bool {
    ++credentials;
    const bool never = !used.has_value();
    const auto since = never ? issued : used;
    if (!since) return false;
    const std::int64_t days = iam::WholeDays(*since, report->generated);
    if (days > max_age) {
      if (!unused.empty()) unused += "; ";
      unused += std::string(what) + (never ? " never used, issued " : " last used ") +
                std::to_string(days) + " days ago";
    }
    return true;
  };

  if (iam::ReportTrue(row.Get("password_enabled"))) {
    auto issued = iam::ReportDate(row.Get("password_last_changed"));
    if (!issued) issued = iam::ReportDate(row.Get("user_creation_time"));
    if (!check("password", iam::ReportDate(row.Get("password_last_used")), issued))
      return Verdict::MissingFact(std::string(kFact),
                                  "the console password has no readable last-used or "
                                  "creation date");
  }
  for (const iam::ActiveAccessKey& key : iam::ActiveAccessKeys(row)) {
    const std::string n = std::to_string(key.number);
    if (!check("access key " + n, key.last_used, key.last_rotated))
      return Verdict::MissingFact(std::string(kFact), "active access key " + n +
                                                          " has no readable last-used or "
                                                          "creation date");
  }
  if (!unused.empty())
    return Verdict::NonCompliant(TruncateUtf8(
        "credentials unused for more than " + std::to_string(max_age) + " days: " + unused, 256));
  if (credentials == 0)
    return Verdict::Compliant("the user has no console password and no active access key");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "IAM_USER_UNUSED_CREDENTIALS_CHECK",
    .resource_types = {"AWS::IAM::User"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "maxCredentialUsageAge",
                    .type = ParamType::kInt,
                    .default_value = "90",
                    .optional = false}},
    .evaluate = &Evaluate,
    .facts = {kFact},
}};

}  // namespace
}  // namespace vigil::rules
