// ACM_PCA_ROOT_CA_DISABLED (acm-pca-root-ca-disabled): AWS Private CA root certificate
// authorities must be disabled. AWS: NON_COMPLIANT for root CAs whose status is not DISABLED;
// `exemptedCAArns` lists CAs that may be enabled.
//
// Data: the AWS::ACMPCA::CertificateAuthority CI records the CA's Type (ROOT or SUBORDINATE) but
// not its status. The status comes from the account fact acm-pca-list-certificate-authorities
// (`aws acm-pca list-certificate-authorities --region REGION`, registered here):
// CertificateAuthorities[] with Arn, Type and Status (CREATING, PENDING_CERTIFICATE, ACTIVE,
// DELETED, DISABLED, EXPIRED, FAILED). The CA is found by ARN (configuration.Arn, the CI's ARN or
// resource ID).
//
// Choices where AWS's page is silent:
// - Subordinate CAs are NOT_APPLICABLE. The type is the CI's configuration.Type, else the fact's.
// - CAs listed in exemptedCAArns are COMPLIANT (they "can be enabled"); ARNs compared exactly.
// - Every status other than DISABLED is NON_COMPLIANT, as AWS states (a DELETED root CA still in
//   its restoration period included).
// - A CA absent from a collected fact (created after the collection) gives no verdict.
#include <algorithm>
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kFact = "acm-pca-list-certificate-authorities";

const model::FactKindRegistration kListCas{{
    .name = kFact,
    .command = "aws acm-pca list-certificate-authorities --region REGION",
    .global = false,
    .description = "the private CAs of the region with their status (ACTIVE, DISABLED, ...); "
                   "AWS::ACMPCA::CertificateAuthority does not record it",
}};

std::string_view Str(const json::Value& v, std::string_view key) {
  return Trim(v.Get(key).String().value_or(""));
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& ca) {
  const json::Value c = ca.Config();
  std::string_view arn = Str(c, "Arn");
  if (arn.empty()) arn = Trim(ca.arn);
  if (arn.empty()) arn = ca.resource_id;

  const auto exempted = ctx.CsvParam("exemptedCAArns");
  const bool exempt = std::find(exempted.begin(), exempted.end(), arn) != exempted.end();
  std::string type = ToLower(Str(c, "Type"));
  if (!type.empty() && type != "root") return Verdict::NotApplicable("the CA is not a root CA");

  const json::Value fact = ctx.Fact(kFact, ca);
  const json::Value list = fact.Get("CertificateAuthorities");
  json::Value entry;
  for (json::Value e : list.Elements())
    if (Str(e, "Arn") == arn) {
      entry = e;
      break;
    }
  if (type.empty()) {
    if (entry.Missing())
      return Verdict::MissingFact(std::string(kFact),
                                  "the CA's type is neither recorded nor collected");
    type = ToLower(Str(entry, "Type"));
    if (type != "root") return Verdict::NotApplicable("the CA is not a root CA");
  }
  if (exempt) return Verdict::Compliant("the root CA is in exemptedCAArns");
  if (!list.IsArray())
    return Verdict::MissingFact(std::string(kFact),
                                fact.Missing() ? "the private CAs of the region were not collected"
                                               : "the fact has no CertificateAuthorities");
  if (entry.Missing())
    return Verdict::MissingFact(
        std::string(kFact),
        TruncateUtf8("acm-pca-list-certificate-authorities does not list " + std::string(arn),
                     256));
  const std::string_view status = Str(entry, "Status");
  if (status == "DISABLED") return Verdict::Compliant("the root CA is disabled");
  return Verdict::NonCompliant("the root CA's status is " +
                               std::string(status.empty() ? "unknown" : status));
}

const ManagedRule kRule{{
    .identifier = "ACM_PCA_ROOT_CA_DISABLED",
    .resource_types = {"AWS::ACMPCA::CertificateAuthority"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "exemptedCAArns", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
    .facts = {kFact},
}};

}  // namespace
}  // namespace vigil::rules
