// CLOUDFRONT_VIEWER_POLICY_HTTPS (cloudfront-viewer-policy-https): CloudFront distributions must
// use HTTPS with viewers, directly or by redirection. AWS: NON_COMPLIANT if ViewerProtocolPolicy is
// 'allow-all' for the defaultCacheBehavior or for any of the cacheBehaviors.
//
// The data is the viewerProtocolPolicy ("allow-all", "redirect-to-https", "https-only") of the
// CI's configuration.distributionConfig.defaultCacheBehavior and cacheBehaviors.items.
//
// Choices where AWS's page is silent:
// - "allow-all" is matched ignoring case; a cache behavior without a recorded policy is not
//   "allow-all".
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/cloudfront/cloudfront_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& item) {
  const json::Value dc = cloudfront::DistributionConfig(item);
  if (dc.Missing()) return cloudfront::ConfigMissing(item);
  std::vector<std::string> allow_all;
  for (const cloudfront::CacheBehavior& b : cloudfront::CacheBehaviors(dc))
    if (cloudfront::EqualsIgnoreCase(Trim(b.viewer_protocol_policy), "allow-all"))
      allow_all.push_back(cloudfront::BehaviorName(b));
  if (!allow_all.empty())
    return Verdict::NonCompliant(TruncateUtf8(
        "viewerProtocolPolicy allow-all in: " + cloudfront::JoinNames(allow_all, 4), 256));
  return Verdict::Compliant("every cache behavior uses HTTPS or redirects to it");
}

const ManagedRule kRule{cloudfront::DistributionRule("CLOUDFRONT_VIEWER_POLICY_HTTPS", &Evaluate)};

}  // namespace
}  // namespace vigil::rules
