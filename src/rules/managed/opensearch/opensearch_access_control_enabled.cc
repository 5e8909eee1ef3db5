// OPENSEARCH_ACCESS_CONTROL_ENABLED (opensearch-access-control-enabled): OpenSearch Service domains
// must have fine-grained access control; NON_COMPLIANT if AdvancedSecurityOptions is not enabled
// (`configuration.AdvancedSecurityOptions.Enabled` of the AWS::OpenSearch::Domain CI).
//
// Choices where AWS's page is silent:
// - A CI without `AdvancedSecurityOptions.Enabled` is treated as not enabled.
#include "rules/managed/opensearch/opensearch_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& domain) {
  return opensearch::RequireOptionEnabled(domain.Config(), "AdvancedSecurityOptions",
                                          opensearch::kOpenSearchSpelling,
                                          "fine-grained access control (AdvancedSecurityOptions)");
}

const ManagedRule kRule{{
    .identifier = "OPENSEARCH_ACCESS_CONTROL_ENABLED",
    .resource_types = {"AWS::OpenSearch::Domain"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
