// S3_BUCKET_MFA_DELETE_ENABLED (s3-bucket-mfa-delete-enabled): MFA delete must be enabled in the
// bucket's versioning configuration; NON_COMPLIANT if it is not.
//
// Data: supplementaryConfiguration.BucketVersioningConfiguration, which AWS Config records for
// every bucket as {"status": "Off" | "Enabled" | "Suspended", "isMfaDeleteEnabled": bool|null}.
//
// Choices where AWS's page is silent:
// - isMfaDeleteEnabled null or absent means MFA delete is off: NON_COMPLIANT. The versioning
//   status is not checked (S3 only accepts MFA delete together with versioning).
// - A CI without BucketVersioningConfiguration (AWS Config always records it, so the item was read
//   without its supplementary configuration) gives no verdict: MissingFact.
#include "rules/managed/s3/s3_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& bucket) {
  const json::Value versioning = s3::VersioningConfiguration(bucket);
  if (versioning.Missing()) return s3::VersioningNotRecorded();
  if (!versioning.Get("isMfaDeleteEnabled").Bool().value_or(false))
    return Verdict::NonCompliant("MFA delete is not enabled on the bucket");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "S3_BUCKET_MFA_DELETE_ENABLED",
    .resource_types = {"AWS::S3::Bucket"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
