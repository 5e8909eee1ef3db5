// OPENSEARCH_ENCRYPTED_AT_REST (opensearch-encrypted-at-rest): OpenSearch Service domains must have
// encryption at rest enabled; NON_COMPLIANT if `EncryptionAtRestOptions` is not enabled
// (`configuration.EncryptionAtRestOptions.Enabled` of the AWS::OpenSearch::Domain CI).
//
// Choices where AWS's page is silent:
// - A CI without `EncryptionAtRestOptions.Enabled` is treated as not encrypted.
#include "rules/managed/opensearch/opensearch_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& domain) {
  return opensearch::RequireOptionEnabled(domain.Config(), "EncryptionAtRestOptions",
                                          opensearch::kOpenSearchSpelling, "encryption at rest");
}

const ManagedRule kRule{{
    .identifier = "OPENSEARCH_ENCRYPTED_AT_REST",
    .resource_types = {"AWS::OpenSearch::Domain"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
