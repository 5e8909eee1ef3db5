// ACCESS_KEYS_ROTATED (access-keys-rotated): every active access key of an IAM user must have
// been rotated (created) within `maxAccessKeyAge` days; NON_COMPLIANT otherwise.
//
// Access keys are not part of the AWS::IAM::User CI. They come from the credential report (fact
// "iam-get-credential-report"): access_key_N_active and access_key_N_last_rotated (the key's
// creation date) of the user's row, N = 1, 2. The age is measured at the report's GeneratedTime:
// the rule API has no clock, and the report is the snapshot the verdict describes (AWS also
// evaluates against the report, regenerated at most every 4 hours).
//
// Choices where AWS's page is silent:
// - The age is counted in whole days (rounded down) and a key is too old when that count
//   exceeds maxAccessKeyAge: a key exactly maxAccessKeyAge days old is COMPLIANT.
// - A user with no active key (none, or only inactive ones) is COMPLIANT: the rule constrains
//   only active keys.
// - A user missing from the report gives no verdict (the report predates the user), nor does an
//   active key without a readable last_rotated date or a report without GeneratedTime.
#include <string>

#include "rules/managed/iam/iam_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kFact = "iam-get-credential-report";

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& user) {
  Verdict missing;
  const iam::CredentialReport* report = iam::ReportFor(ctx, user, &missing);
  if (report == nullptr) return missing;
  const iam::CredentialReport::Row* row = iam::UserRow(*report, user, &missing);
  if (row == nullptr) return missing;
  const auto now = iam::ReportTime(*report);
  if (!now)
    return Verdict::MissingFact(std::string(kFact),
                                "the credential report has no readable GeneratedTime");
  const std::int64_t max_age = ctx.IntParam("maxAccessKeyAge").value_or(90);

  std::string old_keys;
  int active = 0;
  for (int n = 1; n <= 2; ++n) {
    const std::string prefix = "access_key_" + std::to_string(n);
    if (!iam::ReportTrue(row->Get(prefix + "_active"))) continue;
    ++active;
    const auto rotated = iam::ReportDate(row->Get(prefix + "_last_rotated"));
    if (!rotated)
      return Verdict::MissingFact(std::string(kFact), "active access key " + std::to_string(n) +
                                                          " has no readable last_rotated date");
    const std::int64_t days = iam::WholeDays(*rotated, *now);
    if (days > max_age) {
      if (!old_keys.empty()) old_keys += ", ";
      old_keys += "key " + std::to_string(n) + " is " + std::to_string(days) + " days old";
    }
  }
  if (!old_keys.empty())
    return Verdict::NonCompliant("active access key not rotated within " + std::to_string(max_age) +
                                 " days: " + old_keys);
  if (active == 0) return Verdict::Compliant("the user has no active access key");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "ACCESS_KEYS_ROTATED",
    .resource_types = {"AWS::IAM::User"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "maxAccessKeyAge",
                    .type = ParamType::kInt,
                    .default_value = "90",
                    .optional = false}},
    .evaluate = &Evaluate,
    .facts = {kFact},
}};

}  // namespace
}  // namespace vigil::rules
