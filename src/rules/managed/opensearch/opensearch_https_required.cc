// OPENSEARCH_HTTPS_REQUIRED (opensearch-https-required): connections to OpenSearch Service domains
// must use HTTPS; NON_COMPLIANT if 'EnforceHTTPS' is not true, or is true and 'TLSSecurityPolicy'
// is not in `tlsPolicies`.
//
// Read from the AWS::OpenSearch::Domain CI: `configuration.DomainEndpointOptions.EnforceHTTPS` and
// `.TLSSecurityPolicy`.
//
// Choices where AWS's page is silent:
// - Without `tlsPolicies` any TLS security policy is accepted once HTTPS is enforced.
// - Policies are compared exactly (AWS's names such as Policy-Min-TLS-1-2-2019-07).
// - A CI without `EnforceHTTPS` is treated as not enforcing HTTPS.
#include <string>

#include "common/strings.h"
#include "rules/managed/opensearch/opensearch_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& domain) {
  const json::Value options = domain.Config().Get("DomainEndpointOptions");
  if (!opensearch::Truthy(options.Get("EnforceHTTPS")))
    return Verdict::NonCompliant("EnforceHTTPS is not true");
  const std::vector<std::string_view> allowed = ctx.CsvParam("tlsPolicies");
  if (allowed.empty()) return Verdict::Compliant();
  const std::string_view policy = options.Get("TLSSecurityPolicy").String().value_or("");
  for (std::string_view p : allowed)
    if (p == policy) return Verdict::Compliant();
  return Verdict::NonCompliant(
      TruncateUtf8("TLS security policy '" + std::string(policy) +
                       "' is not one of: " + std::string(Trim(*ctx.Param("tlsPolicies"))),
                   256));
}

const ManagedRule kRule{{
    .identifier = "OPENSEARCH_HTTPS_REQUIRED",
    .resource_types = {"AWS::OpenSearch::Domain"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "tlsPolicies", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
