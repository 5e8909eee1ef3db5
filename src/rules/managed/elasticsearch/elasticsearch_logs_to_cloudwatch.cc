// ELASTICSEARCH_LOGS_TO_CLOUDWATCH (elasticsearch-logs-to-cloudwatch): Elasticsearch domains must
// publish logs to CloudWatch Logs. COMPLIANT if a log is enabled; NON_COMPLIANT if logging is not
// configured. With `logTypes` ('search', 'index', 'error'), those log types must be enabled.
//
// Read from the AWS::Elasticsearch::Domain CI: `configuration.logPublishingOptions.<KEY>.enabled`
// with KEY SEARCH_SLOW_LOGS ('search'), INDEX_SLOW_LOGS ('index'), ES_APPLICATION_LOGS ('error')
// or AUDIT_LOGS.
//
// Choices where AWS's page is silent:
// - Without `logTypes`, any enabled log type counts, AUDIT_LOGS included ("a log is enabled").
// - A log type counts when its option is enabled; the log group ARN is not checked.
// - `logTypes` entries are compared ignoring case; any other value than search, index or error
//   can never be satisfied and makes the domain NON_COMPLIANT, naming the value.
// - Every AWS::Elasticsearch::Domain CI is evaluated whatever its engine version.
#include "rules/managed/opensearch/opensearch_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& domain) {
  return opensearch::EvaluateLogsToCloudWatch(ctx, domain.Config(),
                                              opensearch::kElasticsearchSpelling);
}

const ManagedRule kRule{{
    .identifier = "ELASTICSEARCH_LOGS_TO_CLOUDWATCH",
    .resource_types = {"AWS::Elasticsearch::Domain"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "logTypes", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
