// SECRETSMANAGER_SECRET_PERIODIC_ROTATION (secretsmanager-secret-periodic-rotation): Secrets
// Manager secrets must have been rotated in the past `maxDaysSinceRotation` days (default 90).
// AWS: NON_COMPLIANT if a secret has not been rotated for more than maxDaysSinceRotation days.
//
// Data: the AWS::SecretsManager::Secret CI does not record rotation dates; LastRotatedDate and
// CreatedDate come from the fact secretsmanager-list-secrets (secretsmanager_util.h) and are
// compared with the evaluation time.
//
// Choices where AWS's page is silent:
// - A secret never rotated counts from its CreatedDate: it is NON_COMPLIANT once it is older
//   than maxDaysSinceRotation days. Without either date there is no verdict.
// - "More than N days": the time since the last rotation exceeds N whole days (N x 24 hours).
// - Secrets with rotation disabled are judged the same way (AWS names no exception).
// - A secret absent from a collected fact (created after the collection) gives no verdict.
#include "rules/managed/secretsmanager/secretsmanager_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& secret) {
  return secretsmanager::EvaluateDaysSince(ctx, secret, "LastRotatedDate", "rotated",
                                           "maxDaysSinceRotation");
}

const ManagedRule kRule{{
    .identifier = "SECRETSMANAGER_SECRET_PERIODIC_ROTATION",
    .resource_types = {"AWS::SecretsManager::Secret"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "maxDaysSinceRotation", .type = ParamType::kInt, .optional = true}},
    .evaluate = &Evaluate,
    .facts = {secretsmanager::kListSecretsFact},
}};

}  // namespace
}  // namespace vigil::rules
