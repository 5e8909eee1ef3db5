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
    if (Trim(cloudfront::Str(o.raw, "originAccessControlId")).empty()) without.emplace_back(o.id);
  }
  if (s3 == 0) return Verdict::NotApplicable("no S3 origins");
  if (!without.empty())
    return Verdict::NonCompliant(TruncateUtf8(
        "S3 origin(s) without origin access control: " + cloudfront::JoinNames(without), 256));
  return Verdict::Compliant(std::to_string(s3) + " S3 origin(s) with origin access control");
}

const ManagedRule kRule{{
    .identifier = "CLOUDFRONT_S3_ORIGIN_ACCESS_CONTROL_ENABLED",
    .resource_types = {"AWS::CloudFront::Distribution"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
