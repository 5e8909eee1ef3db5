// CLOUDFRONT_SNI_ENABLED (cloudfront-sni-enabled): CloudFront distributions with a custom SSL
// certificate must serve HTTPS with SNI. AWS: NON_COMPLIANT if a custom SSL certificate is
// associated but the SSL support method is a dedicated IP address.
//
// The data is the CI's configuration.distributionConfig.viewerCertificate: a custom certificate
// is an acmCertificateArn or iamCertificateId (cloudFrontDefaultCertificate false);
// sslSupportMethod is "sni-only", "vip" (dedicated IP addresses) or "static-ip".
//
// Choices where AWS's page is silent:
// - Distributions using the default CloudFront certificate are NOT_APPLICABLE: the rule is about
//   custom certificates, and the SSL support method does not apply to the default one.
// - "vip" and "static-ip" are both dedicated IP addresses; only "sni-only" is SNI. A custom
//   certificate without a recorded sslSupportMethod is NON_COMPLIANT (SNI is not configured).
#include <string>

#include "common/strings.h"
#include "rules/managed/cloudfront/cloudfront_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& item) {
  const json::Value dc = cloudfront::DistributionConfig(item);
  if (dc.Missing()) return cloudfront::ConfigMissing(item);
  const json::Value vc = cloudfront::Field(dc, "viewerCertificate");
  const bool custom = !cloudfront::Str(vc, "acmCertificateArn").empty() ||
                      !cloudfront::Str(vc, "iamCertificateId").empty();
  if (!custom || cloudfront::Field(vc, "cloudFrontDefaultCertificate").Bool() == true)
    return Verdict::NotApplicable("uses the default CloudFront certificate");
  const std::string_view method = Trim(cloudfront::Str(vc, "sslSupportMethod"));
  if (cloudfront::EqualsIgnoreCase(method, "sni-only"))
    return Verdict::Compliant("custom certificate served with SNI");
  if (method.empty())
    return Verdict::NonCompliant("custom certificate without an SSL support method recorded");
  return Verdict::NonCompliant(
      TruncateUtf8("custom certificate served from dedicated IP addresses (sslSupportMethod " +
                       std::string(method) + ")",
                   256));
}

const ManagedRule kRule{cloudfront::DistributionRule("CLOUDFRONT_SNI_ENABLED", &Evaluate)};

}  // namespace
}  // namespace vigil::rules
