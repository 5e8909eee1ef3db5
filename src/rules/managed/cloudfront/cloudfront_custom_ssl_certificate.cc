// CLOUDFRONT_CUSTOM_SSL_CERTIFICATE (cloudfront-custom-ssl-certificate): CloudFront distributions
// must not use the default SSL certificate. AWS: NON_COMPLIANT if a distribution uses the default
// SSL certificate; multi-tenant distributions are NOT_APPLICABLE.
//
// The data is the CI's configuration.distributionConfig.viewerCertificate
// ({"cloudFrontDefaultCertificate", "acmCertificateArn", "iamCertificateId", "certificateSource",
// ...}); a multi-tenant distribution has distributionConfig.connectionMode "tenant-only".
//
// Choices where AWS's page is silent:
// - The default certificate is in use when cloudFrontDefaultCertificate is true, or
//   certificateSource is "cloudfront", or no ACM or IAM certificate is recorded (CloudFront uses
//   its default certificate when none is given, including when viewerCertificate is absent).
#include <string>

#include "rules/managed/cloudfront/cloudfront_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& item) {
  const json::Value dc = cloudfront::DistributionConfig(item);
  if (dc.Missing()) return cloudfront::ConfigMissing(item);
  if (cloudfront::MultiTenant(dc)) return Verdict::NotApplicable("multi-tenant distribution");
  const json::Value vc = cloudfront::Field(dc, "viewerCertificate");
  const std::string_view acm = cloudfront::Str(vc, "acmCertificateArn");
  const std::string_view iam = cloudfront::Str(vc, "iamCertificateId");
  if (cloudfront::Field(vc, "cloudFrontDefaultCertificate").Bool() == true ||
      cloudfront::EqualsIgnoreCase(cloudfront::Str(vc, "certificateSource"), "cloudfront") ||
      (acm.empty() && iam.empty()))
    return Verdict::NonCompliant("uses the default CloudFront SSL certificate");
  return Verdict::Compliant(!acm.empty() ? "ACM certificate" : "IAM server certificate");
}

const ManagedRule kRule{
    cloudfront::DistributionRule("CLOUDFRONT_CUSTOM_SSL_CERTIFICATE", &Evaluate)};

}  // namespace
}  // namespace vigil::rules
