// CLOUDFRONT_S3_ORIGIN_ACCESS_CONTROL_ENABLED (cloudfront-s3-origin-access-control-enabled):
// CloudFront distributions with S3 origins must use origin access control (OAC). AWS:
// NON_COMPLIANT for distributions with S3 origins that don't have OAC enabled.
//
// The data is each origin of the CI's configuration.distributionConfig.origins: an S3 origin has
// an s3OriginConfig (and no customOriginConfig); its OAC is the origin's originAccessControlId
// ("" when none).
//
// Choices where AWS's page is silent:
// - A distribution without any S3 origin is NOT_APPLICABLE (AWS's page scopes the rule to
//   distributions with S3 origins).
// - Every S3 origin must have an OAC; S3 website endpoints are custom origins and are not judged.
// - An origin access identity (OAI) does not count as OAC.
#include <string_view>

#include "rules/managed/cloudfront/cloudfront_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

// The OAC of an S3 origin: the origin's originAccessControlId ("" when none).
std::string_view OriginAccessControl(const cloudfront::Origin& o) {
  return cloudfront::Str(o.raw, "originAccessControlId");
}

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& item) {
  const json::Value dc = cloudfront::DistributionConfig(item);
  if (dc.Missing()) return cloudfront::ConfigMissing(item);
  return cloudfront::RequireOnS3Origins(dc, &OriginAccessControl, "origin access control",
                                        Verdict::NotApplicable("no S3 origins"));
}

const ManagedRule kRule{
    cloudfront::DistributionRule("CLOUDFRONT_S3_ORIGIN_ACCESS_CONTROL_ENABLED", &Evaluate)};

}  // namespace
}  // namespace vigil::rules
