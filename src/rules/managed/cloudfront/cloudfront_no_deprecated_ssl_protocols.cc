// CLOUDFRONT_NO_DEPRECATED_SSL_PROTOCOLS (cloudfront-no-deprecated-ssl-protocols): CloudFront
// distributions must not use deprecated SSL protocols between edge locations and custom origins.
// AWS: NON_COMPLIANT if any origin's OriginSslProtocols includes SSLv3.
//
// The data is each origin's customOriginConfig.originSslProtocols.items in the CI's
// configuration.distributionConfig.origins.
//
// Choices where AWS's page is silent:
// - Every custom origin counts, whatever its originProtocolPolicy (AWS's condition names only
//   the protocols). SSLv3 is matched ignoring case.
// - A distribution without custom origins (S3 origins only) is COMPLIANT: none of its origins
//   lists SSLv3.
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
  std::vector<std::string> bad;
  size_t custom = 0;
  for (const cloudfront::Origin& o : cloudfront::Origins(dc)) {
    if (!o.IsCustom()) continue;
    ++custom;
    for (const json::Value p :
         cloudfront::ListItems(cloudfront::Field(o.custom_config, "originSslProtocols"))) {
      if (cloudfront::EqualsIgnoreCase(Trim(p.String().value_or("")), "SSLv3")) {
        bad.emplace_back(o.id);
        break;
      }
    }
  }
  if (!bad.empty())
    return Verdict::NonCompliant(
        TruncateUtf8("origin(s) allowing SSLv3: " + cloudfront::JoinNames(bad), 256));
  if (custom == 0) return Verdict::Compliant("no custom origins");
  return Verdict::Compliant("no custom origin allows SSLv3");
}

const ManagedRule kRule{
    cloudfront::DistributionRule("CLOUDFRONT_NO_DEPRECATED_SSL_PROTOCOLS", &Evaluate)};

}  // namespace
}  // namespace vigil::rules
