// S3_BUCKET_PUBLIC_WRITE_PROHIBITED: the bucket policy and ACL must not grant public write
// access, unless Block Public Access neutralises them (see s3_util.h).
#include "rules/managed/s3/s3_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

// AWS notes that this rule "does not evaluate changes to account level public block access":
// an account-level change does not trigger it. The settings still decide whether the bucket is
// public when it is evaluated, so vigil, which evaluates one snapshot, applies them.
Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& bucket) {
  return s3::EvaluatePublicAccess(ctx, bucket, s3::AccessKind::kWrite);
}

const ManagedRule kRule{{
    .identifier = "S3_BUCKET_PUBLIC_WRITE_PROHIBITED",
    .resource_types = {"AWS::S3::Bucket"},
    .trigger = Trigger::kBoth,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {"s3control-get-public-access-block"},
    .context_types = {"AWS::S3::AccountPublicAccessBlock"},
}};

}  // namespace
}  // namespace vigil::rules
