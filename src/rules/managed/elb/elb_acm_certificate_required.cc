// ELB_ACM_CERTIFICATE_REQUIRED (elb-acm-certificate-required): the SSL and HTTPS listeners of a
// Classic Load Balancer must use certificates provided by AWS Certificate Manager. The rule does
// not check Application or Network Load Balancers.
//
// Data: the AWS::ElasticLoadBalancing::LoadBalancer CI's configuration.listenerDescriptions[]
// .listener (protocol, sslcertificateId; SSLCertificateId is accepted too).
//
// Choices where AWS's page is silent:
// - A load balancer without SSL or HTTPS listeners is NOT_APPLICABLE (AWS: "To use this rule,
//   use an SSL or HTTPS listener").
// - A certificate is ACM's when its ARN's service is "acm" (arn:<partition>:acm:...); IAM server
//   certificates (arn:<partition>:iam::...:server-certificate/...) are not. Every SSL/HTTPS
//   listener must use one; a listener without a certificate ID is NON_COMPLIANT.
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/elb/elb_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

bool IsAcmArn(std::string_view arn) {
  const std::vector<std::string_view> parts = Split(arn, ':');
  return parts.size() >= 6 && parts[0] == "arn" && parts[2] == "acm";
}

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& lb) {
  const std::vector<elb::Listener> secure = elb::SecureListeners(lb);
  std::string bad;
  for (const elb::Listener& l : secure) {
    std::string_view cert = l.listener.Get("sslcertificateId").String().value_or("");
    if (cert.empty()) cert = l.listener.Get("SSLCertificateId").String().value_or("");
    cert = Trim(cert);
    if (IsAcmArn(cert)) continue;
    bad += (bad.empty() ? "" : "; ") + l.Label() + " uses " +
           (cert.empty() ? std::string("no certificate") : std::string(cert));
  }
  if (secure.empty())
    return Verdict::NotApplicable("the load balancer has no SSL or HTTPS listener");
  if (!bad.empty())
    return Verdict::NonCompliant(TruncateUtf8("certificate not from ACM: " + bad, 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "ELB_ACM_CERTIFICATE_REQUIRED",
    .resource_types = {"AWS::ElasticLoadBalancing::LoadBalancer"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
