// SECRETSMANAGER_SCHEDULED_ROTATION_SUCCESS_CHECK
// (secretsmanager-scheduled-rotation-success-check): Secrets Manager secrets must have rotated
// successfully according to their rotation schedule. AWS: NON_COMPLIANT if the date Secrets Manager
// calculated for the rotation passes and the secret isn't rotated; NOT_APPLICABLE for secrets
// without rotation.
//
// Data: the AWS::SecretsManager::Secret CI's configuration.RotationEnabled and
// configuration.RotationOccurringAsScheduled (Secrets Manager's own verdict on the schedule).
// When the CI lacks RotationOccurringAsScheduled, the fact secretsmanager-list-secrets
// (secretsmanager_util.h) gives the secret's NextRotationDate, which is compared with the
// evaluation time.
//
// Choices where AWS's page is silent:
// - A secret whose RotationEnabled is false or absent is NOT_APPLICABLE.
// - From the fact: NON_COMPLIANT when NextRotationDate is earlier than the evaluation time (a
//   successful rotation moves it forward), COMPLIANT otherwise; without a NextRotationDate there
//   is no verdict.
#include <string>

#include "common/strings.h"
#include "common/time.h"
#include "rules/managed/secretsmanager/secretsmanager_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

json::Value Member(const json::Value& obj, std::string_view pascal) {
  json::Value v = obj.Get(pascal);
  if (!v.Missing()) return v;
  std::string camel(pascal);
  camel[0] = static_cast<char>(camel[0] - 'A' + 'a');
  return obj.Get(camel);
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& secret) {
  const json::Value c = secret.Config();
  if (!Member(c, "RotationEnabled").Bool().value_or(false))
    return Verdict::NotApplicable("rotation is not configured for the secret");
  if (auto scheduled = Member(c, "RotationOccurringAsScheduled").Bool()) {
    if (*scheduled) return Verdict::Compliant("rotation is occurring as scheduled");
    return Verdict::NonCompliant("the secret was not rotated as scheduled");
  }
  const secretsmanager::SecretLookup found = secretsmanager::FindSecret(ctx, secret);
  if (found.missing) return *found.missing;
  const auto next = secretsmanager::Date(found.entry.Get("NextRotationDate"));
  if (!next)
    return Verdict::MissingFact(std::string(secretsmanager::kListSecretsFact),
                                "neither RotationOccurringAsScheduled nor NextRotationDate is "
                                "known for the secret");
  if (*next < ctx.Now())
    return Verdict::NonCompliant("the scheduled rotation of " + FormatDate(*next) +
                                 " did not happen");
  return Verdict::Compliant("next rotation is due on " + FormatDate(*next));
}

const ManagedRule kRule{{
    .identifier = "SECRETSMANAGER_SCHEDULED_ROTATION_SUCCESS_CHECK",
    .resource_types = {"AWS::SecretsManager::Secret"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {secretsmanager::kListSecretsFact},
}};

}  // namespace
}  // namespace vigil::rules
