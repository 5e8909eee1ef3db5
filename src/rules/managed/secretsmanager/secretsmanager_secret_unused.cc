// SECRETSMANAGER_SECRET_UNUSED (secretsmanager-secret-unused): Secrets Manager secrets must have
// been accessed within `unusedForDays` days (default 90). AWS: NON_COMPLIANT if a secret has not
// been accessed in unusedForDays days.
//
// Data: the AWS::SecretsManager::Secret CI does not record access dates; LastAccessedDate (a
// date, rounded down to the day by Secrets Manager) and CreatedDate come from the fact
// secretsmanager-list-secrets (secretsmanager_util.h) and are compared with the evaluation time.
//
// Choices where AWS's page is silent:
// - A secret never accessed counts from its CreatedDate: it is NON_COMPLIANT once it is older
//   than unusedForDays days. Without either date there is no verdict.
// - "Not accessed in N days": the time since the last access exceeds N whole days
//   (N x 24 hours).
// - A secret absent from a collected fact (created after the collection) gives no verdict.
#include <string>

#include "common/time.h"
#include "rules/managed/secretsmanager/secretsmanager_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::int64_t kDefaultDays = 90;
constexpr EpochMillis kDayMillis = 24LL * 60 * 60 * 1000;

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& secret) {
  const std::int64_t max_days = ctx.IntParam("unusedForDays").value_or(kDefaultDays);
  const secretsmanager::SecretLookup found = secretsmanager::FindSecret(ctx, secret);
  if (found.missing) return *found.missing;
  const auto accessed = secretsmanager::Date(found.entry.Get("LastAccessedDate"));
  const auto created = secretsmanager::Date(found.entry.Get("CreatedDate"));
  if (!accessed && !created)
    return Verdict::MissingFact(std::string(secretsmanager::kListSecretsFact),
                                "the secret has neither LastAccessedDate nor CreatedDate");
  const EpochMillis since = accessed ? *accessed : *created;
  const std::string what = accessed ? "last accessed on " : "never accessed, created on ";
  const std::int64_t days = secretsmanager::DaysBetween(since, ctx.Now());
  if (ctx.Now() - since > max_days * kDayMillis)
    return Verdict::NonCompliant(what + FormatDate(since) + " (" + std::to_string(days) +
                                 " days ago, more than " + std::to_string(max_days) + ")");
  return Verdict::Compliant(what + FormatDate(since));
}

const ManagedRule kRule{{
    .identifier = "SECRETSMANAGER_SECRET_UNUSED",
    .resource_types = {"AWS::SecretsManager::Secret"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "unusedForDays", .type = ParamType::kInt, .optional = true}},
    .evaluate = &Evaluate,
    .facts = {secretsmanager::kListSecretsFact},
}};

}  // namespace
}  // namespace vigil::rules
