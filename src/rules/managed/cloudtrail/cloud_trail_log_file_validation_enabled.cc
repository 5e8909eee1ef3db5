// CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED (cloud-trail-log-file-validation-enabled): a CloudTrail
// trail must create signed digest files (log file integrity validation): NON_COMPLIANT when
// validation is not enabled.
//
// Data: configuration.logFileValidationEnabled of the AWS::CloudTrail::Trail CI.
//
// Choices where AWS's page is silent:
// - A CI without logFileValidationEnabled (or with a non-boolean value other than the string
//   "true") is treated as validation not enabled, as vigil treats other absent booleans.
#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& trail) {
  (void)ctx;
  const json::Value v = trail.Config().Get("logFileValidationEnabled");
  const bool enabled = v.Bool().value_or(ToLower(v.String().value_or("")) == "true");
  if (!enabled) return Verdict::NonCompliant("log file validation is not enabled");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED",
    .resource_types = {"AWS::CloudTrail::Trail"},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
