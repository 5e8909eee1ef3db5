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
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/cloudfront/cloudfront_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  (void)ctx;
  const json::Value dc = cloudfront::DistributionConfig(item);
  if (dc.Missing()) return cloudfront::ConfigMissing(item);
  std::vector<std::string> without;
  size_t s3 = 0;
  for (const cloudfront::Origin& o : cloudfront::Origins(dc)) {
    if (!o.IsS3()) continue;
    ++s3;
    if (Trim(cloudfront::Str(o.s3_config, "originAccessIdentity")).empty())
      without.emplace_back(o.id);
  }
  if (s3 == 0) return Verdict::NonCompliant("no origin is an S3 bucket origin");
  if (!without.empty())
    return Verdict::NonCompliant(TruncateUtf8(
        "S3 origin(s) without an origin access identity: " + cloudfront::JoinNames(without), 256));
  return Verdict::Compliant(std::to_string(s3) + " S3 origin(s) with an origin access identity");
}

const ManagedRule kRule{{
    .identifier = "CLOUDFRONT_ORIGIN_ACCESS_IDENTITY_ENABLED",
    .resource_types = {"AWS::CloudFront::Distribution"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
