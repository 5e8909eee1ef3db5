// ACM_CERTIFICATE_RSA_CHECK (acm-certificate-rsa-check): RSA certificates managed by AWS
// Certificate Manager must have a key of at least 2048 bits. AWS: NON_COMPLIANT if the key length
// is less than 2048 bits.
//
// Data: the AWS::ACM::Certificate CI's configuration.keyAlgorithm ("RSA-2048" as
// DescribeCertificate reports it; the API enum's "RSA_2048" is accepted too).
//
// Choices where AWS's page is silent:
// - Certificates with a non-RSA key (EC_prime256v1, EC_secp384r1, ...) are NOT_APPLICABLE.
// - A CI without keyAlgorithm, or with an RSA algorithm whose length cannot be read, gives no
//   verdict (MISSING_FACT naming the item's type).
#include <charconv>
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr int kMinimumBits = 2048;

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& cert) {
  std::string_view algorithm = Trim(cert.Config().Get("keyAlgorithm").String().value_or(""));
  if (algorithm.empty()) algorithm = Trim(cert.Config().Get("KeyAlgorithm").String().value_or(""));
  if (algorithm.empty())
    return Verdict::MissingFact(std::string(cert.resource_type),
                                "the configuration item has no keyAlgorithm");
  const std::string lower = ToLower(algorithm);
  if (!StartsWith(lower, "rsa"))
    return Verdict::NotApplicable("the certificate's key is " + std::string(algorithm) +
                                  ", not RSA");
  std::string_view digits = std::string_view(lower).substr(3);
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '_')) digits.remove_prefix(1);
  int bits = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
    return Verdict::MissingFact(
        std::string(cert.resource_type),
        TruncateUtf8("cannot read the key length of " + std::string(algorithm), 256));
  if (bits < kMinimumBits)
    return Verdict::NonCompliant("RSA key of " + std::to_string(bits) + " bits, less than 2048");
  return Verdict::Compliant("RSA key of " + std::to_string(bits) + " bits");
}

const ManagedRule kRule{{
    .identifier = "ACM_CERTIFICATE_RSA_CHECK",
    .resource_types = {"AWS::ACM::Certificate"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
