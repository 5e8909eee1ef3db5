// ELASTICSEARCH_NODE_TO_NODE_ENCRYPTION_CHECK (elasticsearch-node-to-node-encryption-check):
// Elasticsearch domains must encrypt traffic between nodes; NON_COMPLIANT if node-to-node
// encryption is not enabled (`configuration.nodeToNodeEncryptionOptions.enabled` of the
// AWS::Elasticsearch::Domain CI).
//
// Choices where AWS's page is silent:
// - A CI without `nodeToNodeEncryptionOptions.enabled` is treated as not encrypted.
// - Every AWS::Elasticsearch::Domain CI is evaluated whatever its engine version (AWS's note about
//   OpenSearch domains is read as "does not evaluate AWS::OpenSearch::Domain").
#include "rules/managed/opensearch/opensearch_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& domain) {
  return opensearch::RequireOptionEnabled(domain.Config(), "nodeToNodeEncryptionOptions",
                                          opensearch::kElasticsearchSpelling,
                                          "node-to-node encryption");
}

const ManagedRule kRule{{
    .identifier = "ELASTICSEARCH_NODE_TO_NODE_ENCRYPTION_CHECK",
    .resource_types = {"AWS::Elasticsearch::Domain"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
