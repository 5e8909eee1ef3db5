// CLOUDFRONT_SECURITY_POLICY_CHECK (cloudfront-security-policy-check): CloudFront distributions
// must use a security policy of TLSv1.2 or later for viewer connections. AWS: NON_COMPLIANT if the
// minimumProtocolVersion is below TLSv1.2_2018.
//
// The data is the CI's configuration.distributionConfig.viewerCertificate.minimumProtocolVersion:
// one of SSLv3, TLSv1, TLSv1_2016, TLSv1.1_2016, TLSv1.2_2018, TLSv1.2_2019, TLSv1.2_2021,
// TLSv1.2_2025, TLSv1.3_2025.
//
// Choices where AWS's page is silent:
// - TLSv1.2_<year> with a year of 2018 or later, and any TLSv1.3 (or later) policy, are at least
//   TLSv1.2_2018; every other value is below it.
// - Distributions using the default CloudFront certificate are judged like the others: CloudFront
//   records (and enforces) TLSv1 for them, so they are NON_COMPLIANT.
// - A viewerCertificate without minimumProtocolVersion is judged as TLSv1, CloudFront's default.
#include <charconv>
#include <string>

#include "common/strings.h"
#include "rules/managed/cloudfront/cloudfront_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

// True when `policy` is TLSv1.2_2018 or a later policy.
bool AtLeastTls12_2018(std::string_view policy) {
  const std::string p = ToLower(policy);
  if (!StartsWith(p, "tlsv1.")) return false;
  const std::string_view rest = std::string_view(p).substr(6);  // "2_2018", "3_2025", ...
  int minor = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), minor);
  if (ec != std::errc()) return false;
  if (minor >= 3) return true;
  if (minor < 2) return false;
  const std::string_view tail(end, rest.data() + rest.size() - end);
  if (!StartsWith(tail, "_")) return false;
  int year = 0;
  auto [yend, yec] = std::from_chars(tail.data() + 1, tail.data() + tail.size(), year);
  return yec == std::errc() && year >= 2018;
}

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& item) {
  const json::Value dc = cloudfront::DistributionConfig(item);
  if (dc.Missing()) return cloudfront::ConfigMissing(item);
  const json::Value vc = cloudfront::Field(dc, "viewerCertificate");
  std::string_view policy = Trim(cloudfront::Str(vc, "minimumProtocolVersion"));
  const bool recorded = !policy.empty();
  if (!recorded) policy = "TLSv1";
  if (AtLeastTls12_2018(policy))
    return Verdict::Compliant("minimum protocol version " + std::string(policy));
  return Verdict::NonCompliant(TruncateUtf8(
      "minimum protocol version " + std::string(policy) +
          (recorded ? "" : " (not recorded: CloudFront's default)") + " is below TLSv1.2_2018",
      256));
}

const ManagedRule kRule{
    cloudfront::DistributionRule("CLOUDFRONT_SECURITY_POLICY_CHECK", &Evaluate)};

}  // namespace
}  // namespace vigil::rules
