// CLOUDFRONT_TRAFFIC_TO_ORIGIN_ENCRYPTED (cloudfront-traffic-to-origin-encrypted): CloudFront
// distributions must encrypt traffic to custom origins. AWS: NON_COMPLIANT if
// 'OriginProtocolPolicy' is 'http-only', or if it is 'match-viewer' and 'ViewerProtocolPolicy' is
// 'allow-all'.
//
// The data is the CI's configuration.distributionConfig: each origin's
// customOriginConfig.originProtocolPolicy ("http-only", "match-viewer", "https-only"), and the
// viewerProtocolPolicy of defaultCacheBehavior and cacheBehaviors.
//
// Choices where AWS's page is silent:
// - Only custom origins are judged (S3 REST origins have no origin protocol policy); a
//   distribution without custom origins is COMPLIANT.
// - A "match-viewer" origin is NON_COMPLIANT when a cache behavior whose target is that origin
//   (directly, or through an origin group containing it) has viewerProtocolPolicy "allow-all".
//   A "match-viewer" origin that no cache behavior targets carries no viewer traffic.
#include <algorithm>
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
  const std::vector<cloudfront::CacheBehavior> behaviors = cloudfront::CacheBehaviors(dc);
  std::vector<std::string> problems;
  size_t custom = 0;
  for (const cloudfront::Origin& o : cloudfront::Origins(dc)) {
    if (!o.IsCustom()) continue;
    ++custom;
    const std::string_view policy = Trim(cloudfront::Str(o.custom_config, "originProtocolPolicy"));
    if (cloudfront::EqualsIgnoreCase(policy, "http-only")) {
      problems.push_back(std::string(o.id) + " is http-only");
      continue;
    }
    if (!cloudfront::EqualsIgnoreCase(policy, "match-viewer")) continue;
    for (const cloudfront::CacheBehavior& b : behaviors) {
      if (!cloudfront::EqualsIgnoreCase(b.viewer_protocol_policy, "allow-all")) continue;
      const auto targets = cloudfront::TargetOrigins(dc, b.target_origin_id);
      if (std::find(targets.begin(), targets.end(), o.id) == targets.end()) continue;
      problems.push_back(std::string(o.id) + " is match-viewer and its " +
                         cloudfront::BehaviorName(b) + " allows HTTP");
      break;
    }
  }
  if (!problems.empty())
    return Verdict::NonCompliant(TruncateUtf8(
        "traffic to custom origins is not encrypted: " + cloudfront::JoinNames(problems, 3), 256));
  if (custom == 0) return Verdict::Compliant("no custom origins");
  return Verdict::Compliant("traffic to custom origins is encrypted");
}

const ManagedRule kRule{
    cloudfront::DistributionRule("CLOUDFRONT_TRAFFIC_TO_ORIGIN_ENCRYPTED", &Evaluate)};

}  // namespace
}  // namespace vigil::rules
