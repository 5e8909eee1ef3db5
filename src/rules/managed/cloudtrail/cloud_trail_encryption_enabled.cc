// CLOUD_TRAIL_ENCRYPTION_ENABLED (cloud-trail-encryption-enabled): a CloudTrail trail must
// encrypt its log files with SSE-KMS: COMPLIANT when the trail's KmsKeyId is defined.
//
// Data: configuration.kmsKeyId of the AWS::CloudTrail::Trail CI.
//
// Choices where AWS's page is silent:
// - A kmsKeyId that is absent, null or only whitespace is "not defined". The key itself (its
//   state, or whether it still exists) is not checked.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& trail) {
  (void)ctx;
  const std::string_view key = trail.Config().Get("kmsKeyId").String().value_or("");
  if (Trim(key).empty())
    return Verdict::NonCompliant("trail log files are not encrypted with a KMS key (no KmsKeyId)");
  return Verdict::Compliant(TruncateUtf8("encrypted with " + std::string(key), 256));
}

const ManagedRule kRule{{
    .identifier = "CLOUD_TRAIL_ENCRYPTION_ENABLED",
    .resource_types = {"AWS::CloudTrail::Trail"},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
