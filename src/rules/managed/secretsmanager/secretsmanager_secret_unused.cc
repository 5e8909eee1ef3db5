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
#include "rules/managed/secretsmanager/secretsmanager_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& secret) {
  return secretsmanager::EvaluateDaysSince(ctx, secret, "LastAccessedDate", "accessed",
                                           "unusedForDays");
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
