// Helpers shared by the Elasticsearch and OpenSearch domain rules.
//
// AWS Config records the two domain types in different spellings: AWS::Elasticsearch::Domain in
// camelCase (`logPublishingOptions.SEARCH_SLOW_LOGS.enabled`, `vpcoptions.subnetIds`) and
// AWS::OpenSearch::Domain in PascalCase (`LogPublishingOptions.SEARCH_SLOW_LOGS.Enabled`,
// `VPCOptions.SubnetIds`). The log-type keys (SEARCH_SLOW_LOGS, INDEX_SLOW_LOGS,
// ES_APPLICATION_LOGS, AUDIT_LOGS) are the same in both.
#pragma once

#include <string_view>

#include "json/value.h"
#include "rules/rule.h"

namespace vigil::rules::opensearch {

// Member names of one CI spelling.
struct Spelling {
  std::string_view log_publishing_options;  // the map of log type -> option
  std::string_view enabled;                 // an option's boolean
};
inline constexpr Spelling kElasticsearchSpelling{"logPublishingOptions", "enabled"};
inline constexpr Spelling kOpenSearchSpelling{"LogPublishingOptions", "Enabled"};

// A recorded boolean: JSON true, or the string "true" in any case.
bool Truthy(const json::Value& v);

// The verdict of a rule that wants a domain option enabled (encryption at rest, node-to-node
// encryption, fine-grained access control): COMPLIANT when configuration.<option>.<enabled> is
// Truthy (`enabled` spelled as `spelling` says), else NON_COMPLIANT "<feature> is not enabled".
Verdict RequireOptionEnabled(const json::Value& config, std::string_view option,
                             const Spelling& spelling, std::string_view feature);

// The key of `logPublishingOptions` for a `logTypes` entry ('search', 'index' or 'error', any
// case); "" for any other value.
std::string_view LogPublishingKey(std::string_view log_type);

// The *_LOGS_TO_CLOUDWATCH logic: with `logTypes` empty, COMPLIANT if any log type is published
// (enabled); otherwise every listed type must be published. Unknown `logTypes` entries can never
// be satisfied and are reported.
Verdict EvaluateLogsToCloudWatch(const RuleContext& ctx, const json::Value& config,
                                 const Spelling& spelling);

}  // namespace vigil::rules::opensearch
