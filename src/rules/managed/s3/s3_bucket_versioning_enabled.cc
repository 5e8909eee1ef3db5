// S3_BUCKET_VERSIONING_ENABLED (s3-bucket-versioning-enabled): versioning must be enabled on the
// bucket; with isMfaDeleteEnabled, MFA delete must be enabled too.
//
// Data: supplementaryConfiguration.BucketVersioningConfiguration, which AWS Config records for
// every bucket as {"status": "Off" | "Enabled" | "Suspended", "isMfaDeleteEnabled": bool|null}.
//
// Choices where AWS's page is silent:
// - isMfaDeleteEnabled is a String: "true" (any case, surrounding spaces ignored) requires MFA
//   delete; any other value, or none, does not check it.
// - A CI without BucketVersioningConfiguration (AWS Config always records it, so the item was
//   read without its supplementary configuration) gives no verdict: MissingFact.
// - isMfaDeleteEnabled null or absent in the recorded configuration means MFA delete is off.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& bucket) {
  const json::Value versioning = bucket.Supplementary("BucketVersioningConfiguration");
  if (!versioning.IsObject())
    return Verdict::MissingFact(
        "AWS::S3::Bucket",
        "the configuration item has no supplementaryConfiguration.BucketVersioningConfiguration");
  const std::string status(versioning.Get("status").String().value_or(""));
  if (status != "Enabled")
    return Verdict::NonCompliant("versioning is " +
                                 (status.empty() ? std::string("not set") : "'" + status + "'"));
  const bool want_mfa = ToLower(Trim(ctx.Param("isMfaDeleteEnabled").value_or(""))) == "true";
  if (want_mfa && !versioning.Get("isMfaDeleteEnabled").Bool().value_or(false))
    return Verdict::NonCompliant("versioning is enabled but MFA delete is not");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "S3_BUCKET_VERSIONING_ENABLED",
    .resource_types = {"AWS::S3::Bucket"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "isMfaDeleteEnabled", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
