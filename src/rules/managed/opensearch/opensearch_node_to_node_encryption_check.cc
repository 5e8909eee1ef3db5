// OPENSEARCH_NODE_TO_NODE_ENCRYPTION_CHECK (opensearch-node-to-node-encryption-check): OpenSearch
// Service domains must encrypt traffic between nodes; NON_COMPLIANT if node-to-node encryption is
// not enabled (`configuration.NodeToNodeEncryptionOptions.Enabled` of the AWS::OpenSearch::Domain
// CI).
//
// Choices where AWS's page is silent:
// - A CI without `NodeToNodeEncryptionOptions.Enabled` is treated as not encrypted.
#include "rules/managed/opensearch/opensearch_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& domain) {
  return opensearch::RequireOptionEnabled(domain.Config(), "NodeToNodeEncryptionOptions",
                                          opensearch::kOpenSearchSpelling,
                                          "node-to-node encryption");
}

const ManagedRule kRule{{
    .identifier = "OPENSEARCH_NODE_TO_NODE_ENCRYPTION_CHECK",
    .resource_types = {"AWS::OpenSearch::Domain"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
