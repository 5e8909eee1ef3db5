// OPENSEARCH_AUDIT_LOGGING_ENABLED (opensearch-audit-logging-enabled): OpenSearch Service domains
// must have audit logging enabled; NON_COMPLIANT if not. With `cloudWatchLogsLogGroupArnList`, the
// audit logs must go to one of the listed log groups.
//
// Read from the AWS::OpenSearch::Domain CI: `configuration.LogPublishingOptions.AUDIT_LOGS.Enabled`
// and `.CloudWatchLogsLogGroupArn`.
//
// Choices where AWS's page is silent:
// - Log group ARNs are compared exactly, except that a trailing ":*" is ignored on both sides (AWS
//   documents both `arn:...:log-group:NAME:*` and `arn:...:log-group:NAME` as valid values).
// - A CI without `AUDIT_LOGS.Enabled` is treated as audit logging disabled.
#include <string>

#include "common/strings.h"
#include "rules/managed/opensearch/opensearch_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

std::string_view WithoutWildcard(std::string_view arn) {
  arn = Trim(arn);
  if (EndsWith(arn, ":*")) arn.remove_suffix(2);
  return arn;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& domain) {
  const json::Value audit = domain.Config().Get("LogPublishingOptions").Get("AUDIT_LOGS");
  if (!opensearch::Truthy(audit.Get("Enabled")))
    return Verdict::NonCompliant("audit logs are not published to CloudWatch Logs");
  const std::vector<std::string_view> allowed = ctx.CsvParam("cloudWatchLogsLogGroupArnList");
  if (allowed.empty()) return Verdict::Compliant();
  const std::string_view group = audit.Get("CloudWatchLogsLogGroupArn").String().value_or("");
  for (std::string_view a : allowed)
    if (WithoutWildcard(a) == WithoutWildcard(group)) return Verdict::Compliant();
  return Verdict::NonCompliant(TruncateUtf8("audit logs go to log group '" + std::string(group) +
                                                "', not one of cloudWatchLogsLogGroupArnList",
                                            256));
}

const ManagedRule kRule{{
    .identifier = "OPENSEARCH_AUDIT_LOGGING_ENABLED",
    .resource_types = {"AWS::OpenSearch::Domain"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "cloudWatchLogsLogGroupArnList",
                    .type = ParamType::kCsv,
                    .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
