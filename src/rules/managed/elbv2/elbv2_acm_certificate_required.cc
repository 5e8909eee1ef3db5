// ELBV2_ACM_CERTIFICATE_REQUIRED (elbv2-acm-certificate-required): the listeners of Application
// and Network Load Balancers must use certificates from AWS Certificate Manager. AWS:
// NON_COMPLIANT if a load balancer has a listener configured without a certificate from ACM or
// with a certificate other than an ACM certificate; with `AcmCertificatesAllowed`, the
// certificates must be among the listed ARNs.
//
// Listeners are not in the load balancer CI: they come from the keyed fact
// "elbv2-describe-listeners" or from recorded AWS::ElasticLoadBalancingV2::Listener CIs (see
// elbv2_util.h). With neither, there is no verdict.
//
// Choices where AWS's page is silent:
// - Only listeners that terminate TLS (protocol HTTPS or TLS) are checked; HTTP, TCP, UDP and
//   TCP_UDP listeners cannot hold certificates and are ignored. A load balancer with no HTTPS or
//   TLS listener is NOT_APPLICABLE. Gateway Load Balancers are NOT_APPLICABLE (AWS names ALBs and
//   NLBs).
// - A certificate is from ACM when its ARN's service is "acm" (arn:<partition>:acm:...); IAM
//   server certificates (arn:...:iam::...:server-certificate/...) are not. An HTTPS/TLS listener
//   with no certificate recorded is NON_COMPLIANT.
// - `AcmCertificatesAllowed` entries are compared with certificate ARNs exactly; every
//   certificate of every checked listener (default and extra certificates as recorded) must be
//   listed.
#include <algorithm>
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/elbv2/elbv2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

using elbv2::EqualsIgnoreCase;

bool IsAcmArn(std::string_view arn) {
  const auto parts = Split(arn, ':');
  return parts.size() >= 6 && parts[0] == "arn" && parts[2] == "acm";
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& lb) {
  const std::string kind = elbv2::LoadBalancerKind(lb);
  if (kind == "gateway")
    return Verdict::NotApplicable("Gateway Load Balancers have no certificates");

  std::vector<elbv2::Listener> listeners;
  if (elbv2::CollectListeners(ctx, lb, listeners) == elbv2::ListenerSource::kUnknown)
    return elbv2::ListenersMissing(lb);

  const auto allowed = ctx.CsvParam("AcmCertificatesAllowed");
  std::string bad;
  int secure = 0;
  auto note = [&bad](const elbv2::Listener& l, const std::string& why) {
    bad += (bad.empty() ? "" : "; ") + std::string("port ") +
           (l.port ? std::to_string(*l.port) : "?") + ": " + why;
  };
  for (const elbv2::Listener& l : listeners) {
    if (!EqualsIgnoreCase(l.protocol, "HTTPS") && !EqualsIgnoreCase(l.protocol, "TLS")) continue;
    ++secure;
    int certs = 0;
    for (const json::Value c : l.certificates.Elements()) {
      const std::string_view arn = PascalOrCamel(c, "CertificateArn").String().value_or("");
      if (arn.empty()) continue;
      ++certs;
      if (!IsAcmArn(arn)) {
        note(l, "certificate not from ACM: " + std::string(arn));
      } else if (!allowed.empty() &&
                 std::find(allowed.begin(), allowed.end(), arn) == allowed.end()) {
        note(l, "certificate not allowed: " + std::string(arn));
      }
    }
    if (certs == 0) note(l, "no certificate");
  }
  if (secure == 0) return Verdict::NotApplicable("no HTTPS or TLS listener");
  if (!bad.empty()) return Verdict::NonCompliant(TruncateUtf8(bad, 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "ELBV2_ACM_CERTIFICATE_REQUIRED",
    .resource_types = {"AWS::ElasticLoadBalancingV2::LoadBalancer"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "AcmCertificatesAllowed", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
    .facts = {"elbv2-describe-listeners"},
    .context_types = {"AWS::ElasticLoadBalancingV2::Listener"},
}};

}  // namespace
}  // namespace vigil::rules
