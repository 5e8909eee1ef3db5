// S3_BUCKET_PUBLIC_READ_PROHIBITED: the bucket policy and ACL must not grant public read access,
// unless Block Public Access neutralises them (see s3_util.h for how "public" and "read" are
// judged and which BPA flags count).
#include "rules/managed/s3/s3_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

// AWS's periodic trigger re-reads the account-level Block Public Access settings, which vigil
// takes from the AccountPublicAccessBlock item or the s3control fact.
Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& bucket) {
  return s3::EvaluatePublicAccess(ctx, bucket, s3::AccessKind::kRead);
}

const ManagedRule kRule{{
    .identifier = "S3_BUCKET_PUBLIC_READ_PROHIBITED",
    .resource_types = {"AWS::S3::Bucket"},
    .trigger = Trigger::kBoth,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {"s3control-get-public-access-block"},
    .context_types = {"AWS::S3::AccountPublicAccessBlock"},
}};

}  // namespace
}  // namespace vigil::rules
