// KMS_CMK_NOT_SCHEDULED_FOR_DELETION (kms-cmk-not-scheduled-for-deletion): KMS keys must not be
// scheduled for deletion: NON_COMPLIANT if a key is. With kmsKeyIds (a comma-separated list of
// key IDs) only the listed keys are checked; the others are NOT_APPLICABLE.
//
// Data: configuration.keyState of the AWS::KMS::Key CI ("PendingDeletion" while deletion is
// scheduled), falling back to configuration.deletionDate, which KMS sets only then.
//
// Choices where AWS's page is silent:
// - AWS says that without kmsKeyIds "the rule checks all the keys", so AWS managed keys are
//   evaluated too (they cannot be scheduled for deletion, so they are COMPLIANT), and keys with
//   imported material or in custom key stores are evaluated like any other.
// - keyState PendingReplicaDeletion (a multi-Region primary waiting for its replicas' deletion)
//   counts as scheduled for deletion.
// - kmsKeyIds entries are trimmed and match the key's ID (configuration.keyId or the resource ID)
//   or its ARN exactly; empty entries are dropped.
// - A CI with neither keyState nor deletionDate is no answer: the key's state is reported missing.
#include <string>

#include "common/strings.h"
#include "common/time.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& key) {
  const json::Value config = key.Config();
  const std::string_view key_id = config.Get("keyId").String().value_or(key.resource_id);
  const std::string_view key_arn = config.Get("arn").String().value_or(key.arn);
  const std::string_view list = ctx.Param("kmsKeyIds").value_or("");
  if (!Trim(list).empty()) {
    bool listed = false;
    for (std::string_view id : Split(list, ','))
      if (id = Trim(id); !id.empty() && (id == key_id || id == key.resource_id || id == key_arn))
        listed = true;
    if (!listed) return Verdict::NotApplicable("key is not listed in kmsKeyIds");
  }
  const std::optional<std::string_view> state = config.Get("keyState").String();
  const bool has_deletion_date = !config.Get("deletionDate").Empty();
  if (!state && !has_deletion_date)
    return Verdict::MissingFact("AWS::KMS::Key", "the key's CI records no keyState");
  if ((state && (*state == "PendingDeletion" || *state == "PendingReplicaDeletion")) ||
      (!state && has_deletion_date)) {
    const json::Value date = config.Get("deletionDate");
    std::string when = date.AsText();
    if (auto n = date.Number())  // epoch milliseconds, as AWS Config records KMS dates
      when = FormatIso8601(*n > 1e11 ? static_cast<EpochMillis>(*n) : FromEpochSeconds(*n));
    return Verdict::NonCompliant(
        TruncateUtf8("key is scheduled for deletion" + (when.empty() ? "" : " on " + when), 256));
  }
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "KMS_CMK_NOT_SCHEDULED_FOR_DELETION",
    .resource_types = {"AWS::KMS::Key"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "kmsKeyIds", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
