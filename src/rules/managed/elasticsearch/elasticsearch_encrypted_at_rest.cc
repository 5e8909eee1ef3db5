// ELASTICSEARCH_ENCRYPTED_AT_REST (elasticsearch-encrypted-at-rest): Elasticsearch domains must
// have encryption at rest enabled; NON_COMPLIANT if `EncryptionAtRestOptions` is not enabled.
//
// AWS's periodic rule reads the domain through the Elasticsearch describe API. AWS Config records
// the same field in the AWS::Elasticsearch::Domain CI (`configuration.encryptionAtRestOptions.
// enabled`), so vigil reads the CI and needs no fact.
//
// Choices where AWS's page is silent:
// - A CI without `encryptionAtRestOptions.enabled` is treated as not encrypted.
// - Every AWS::Elasticsearch::Domain CI is evaluated whatever its engine version; AWS's note that
//   the rule "does not evaluate OpenSearch domains" is read as "does not evaluate
//   AWS::OpenSearch::Domain".
#include "rules/managed/opensearch/opensearch_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& domain) {
  return opensearch::RequireOptionEnabled(domain.Config(), "encryptionAtRestOptions",
                                          opensearch::kElasticsearchSpelling, "encryption at rest");
}

const ManagedRule kRule{{
    .identifier = "ELASTICSEARCH_ENCRYPTED_AT_REST",
    .resource_types = {"AWS::Elasticsearch::Domain"},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
