// CMK_BACKING_KEY_ROTATION_ENABLED (cmk-backing-key-rotation-enabled): automatic key rotation must
// be enabled for each customer managed KMS key that supports it: NON_COMPLIANT if it is not.
// AWS notes that automatic rotation is not supported for asymmetric keys, HMAC keys, keys with
// imported key material, or keys in custom key stores: those are NOT_APPLICABLE.
//
// Data: the AWS::KMS::Key CI: supplementaryConfiguration.KeyRotationStatus (AWS Config records
// GetKeyRotationStatus there), configuration.keyManager, keySpec (or the older
// customerMasterKeySpec), origin, customKeyStoreId and keyState.
//
// Choices where AWS's page is silent:
// - AWS managed keys (keyManager AWS) are NOT_APPLICABLE: their rotation cannot be configured
//   (KMS rotates them every year).
// - A key is symmetric when keySpec (else customerMasterKeySpec) is SYMMETRIC_DEFAULT or absent
//   (keys created before asymmetric keys existed); origin absent counts as AWS_KMS; any other
//   origin (EXTERNAL, AWS_CLOUDHSM, EXTERNAL_KEY_STORE) or a customKeyStoreId is unsupported.
// - Keys pending deletion (keyState PendingDeletion or PendingReplicaDeletion) are NOT_APPLICABLE:
//   their rotation can no longer be changed. Disabled keys are evaluated.
// - A supported key whose CI records no KeyRotationStatus is no answer: the key's rotation status
//   is reported missing rather than guessed.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& key) {
  (void)ctx;
  const json::Value config = key.Config();
  if (config.Get("keyManager").String().value_or("") == "AWS")
    return Verdict::NotApplicable("AWS managed key: KMS rotates it every year");
  std::string_view spec = config.Get("keySpec").String().value_or("");
  if (spec.empty()) spec = config.Get("customerMasterKeySpec").String().value_or("");
  if (!spec.empty() && spec != "SYMMETRIC_DEFAULT")
    return Verdict::NotApplicable(TruncateUtf8(
        "automatic rotation is not supported for " + std::string(spec) + " keys", 256));
  const std::string_view origin = config.Get("origin").String().value_or("");
  if (!origin.empty() && origin != "AWS_KMS")
    return Verdict::NotApplicable(TruncateUtf8(
        "automatic rotation is not supported for keys of origin " + std::string(origin), 256));
  if (!config.Get("customKeyStoreId").Empty())
    return Verdict::NotApplicable("automatic rotation is not supported in custom key stores");
  const std::string_view state = config.Get("keyState").String().value_or("");
  if (state == "PendingDeletion" || state == "PendingReplicaDeletion")
    return Verdict::NotApplicable("key is pending deletion");

  const json::Value status = key.Supplementary("KeyRotationStatus");
  std::optional<bool> enabled = status.Bool();
  if (!enabled) {
    const std::string text = ToLower(Trim(status.String().value_or("")));
    if (text == "true") enabled = true;
    if (text == "false") enabled = false;
  }
  if (!enabled)
    return Verdict::MissingFact("AWS::KMS::Key",
                                "the key's CI records no supplementaryConfiguration."
                                "KeyRotationStatus");
  if (!*enabled) return Verdict::NonCompliant("automatic key rotation is not enabled");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "CMK_BACKING_KEY_ROTATION_ENABLED",
    .resource_types = {"AWS::KMS::Key"},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
