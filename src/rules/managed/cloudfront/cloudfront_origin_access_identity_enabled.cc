// CLOUDFRONT_ORIGIN_ACCESS_IDENTITY_ENABLED (cloudfront-origin-access-identity-enabled):
// CloudFront distributions with S3 origins must use an origin access identity (OAI). AWS:
// NON_COMPLIANT if the distribution is backed by S3 and any S3 origin has no OAI configured, and
// NON_COMPLIANT if the origin is not an S3 bucket (the rule never returns NOT_APPLICABLE).
//
// The data is each origin of the CI's configuration.distributionConfig.origins: an S3 origin has
// an s3OriginConfig (and no customOriginConfig), whose originAccessIdentity is
// "origin-access-identity/cloudfront/<id>" when an OAI is configured, "" otherwise.
//
// Choices where AWS's page is silent:
// - "The origin is not an S3 bucket" is read as "no origin is an S3 origin": a distribution
//   without any S3 origin is NON_COMPLIANT; in a distribution with S3 and custom origins only the
//   S3 origins are judged.
// - S3 website endpoints are custom origins (CloudFront records them with customOriginConfig).
// - An S3 origin using origin access control (OAC) with an empty originAccessIdentity has no OAI:
//   NON_COMPLIANT (OAC is judged by CLOUDFRONT_S3_ORIGIN_ACCESS_CONTROL_ENABLED).
#include <string_view>

#include "rules/managed/cloudfront/cloudfront_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

// The OAI of an S3 origin: s3OriginConfig.originAccessIdentity ("" when none).
std::string_view OriginAccessIdentity(const cloudfront::Origin& o) {
  return cloudfront::Str(o.s3_config, "originAccessIdentity");
}

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& item) {
  const json::Value dc = cloudfront::DistributionConfig(item);
  if (dc.Missing()) return cloudfront::ConfigMissing(item);
  return cloudfront::RequireOnS3Origins(dc, &OriginAccessIdentity, "an origin access identity",
                                        Verdict::NonCompliant("no origin is an S3 bucket origin"));
}

const ManagedRule kRule{
    cloudfront::DistributionRule("CLOUDFRONT_ORIGIN_ACCESS_IDENTITY_ENABLED", &Evaluate)};

}  // namespace
}  // namespace vigil::rules
