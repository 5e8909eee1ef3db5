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
#include <vector>

#include "rules/managed/iam/iam_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kFact = "iam-get-credential-report";

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& user) {
  Verdict missing;
  const auto report = iam::DatedUserReportRow(ctx, user, &missing);
  if (!report) return missing;
  const std::int64_t max_age = ctx.IntParam("maxAccessKeyAge").value_or(90);

  const std::vector<iam::ActiveAccessKey> keys = iam::ActiveAccessKeys(*report->row);
  std::string old_keys;
  for (const iam::ActiveAccessKey& key : keys) {
    const std::string n = std::to_string(key.number);
    if (!key.last_rotated)
      return Verdict::MissingFact(std::string(kFact),
                                  "active access key " + n + " has no readable last_rotated date");
    const std::int64_t days = iam::WholeDays(*key.last_rotated, report->generated);
    if (days > max_age)
      old_keys += (old_keys.empty() ? "" : ", ") +
                  ("key " + n + " is " + std::to_string(days) + " days old");
  }
  if (!old_keys.empty())
    return Verdict::NonCompliant("active access key not rotated within " + std::to_string(max_age) +
                                 " days: " + old_keys);
  if (keys.empty()) return Verdict::Compliant("the user has no active access key");
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
