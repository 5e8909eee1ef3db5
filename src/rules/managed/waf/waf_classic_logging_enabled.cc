// WAF_CLASSIC_LOGGING_ENABLED (waf-classic-logging-enabled): AWS WAF Classic global web ACLs must
// have logging enabled. AWS: NON_COMPLIANT for a global web ACL that does not have logging
// enabled; `KinesisFirehoseDeliveryStreamArns` lists the Kinesis Data Firehose streams the logs
// may go to.
//
// AWS Config's AWS::WAF::WebACL CI does not carry the logging configuration. It comes from the
// global account fact "waf-list-logging-configurations" (`aws waf list-logging-configurations`,
// WAF Classic's global endpoint in us-east-1), which holds
// {"LoggingConfigurations": [{"ResourceArn", "LogDestinationConfigs": [...],
// "RedactedFields": [...]}, ...]}.
//
// Choices where AWS's page is silent:
// - A web ACL is logged when a logging configuration names it: its ResourceArn equals the CI's
//   ARN, or ends with ":webacl/<webACLId>".
// - With the parameter, every destination of that configuration must be listed (WAF Classic
//   allows one destination), compared exactly.
// - A fact that still holds a NextMarker is incomplete: a web ACL missing from it gives no
//   verdict.
#include <algorithm>
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kFact = "waf-list-logging-configurations";

const model::FactKindRegistration kLoggingConfigurations{{
    .name = "waf-list-logging-configurations",
    .command = "aws waf list-logging-configurations --region us-east-1",
    .global = true,
    .description = "logging configurations of the WAF Classic global web ACLs",
}};

bool NamesWebAcl(std::string_view resource_arn, const model::ConfigurationItem& item) {
  if (resource_arn.empty()) return false;
  const json::Value c = item.Config();
  for (std::string_view arn :
       {item.arn, c.Get("arn").String().value_or(""), c.Get("ARN").String().value_or("")})
    if (!arn.empty() && arn == resource_arn) return true;
  std::string_view id = c.Get("webACLId").String().value_or("");
  if (id.empty()) id = c.Get("WebACLId").String().value_or("");
  if (id.empty()) id = item.resource_id;
  return !id.empty() && EndsWith(resource_arn, ":webacl/" + std::string(id));
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  const json::Value fact = ctx.Fact(kFact, item);
  const json::Value configs = fact.Get("LoggingConfigurations");
  if (!configs.IsArray())
    return Verdict::MissingFact(std::string(kFact),
                                "logging configurations of WAF Classic global web ACLs are "
                                "unknown: collect waf-list-logging-configurations");
  for (const json::Value c : configs.Elements()) {
    if (!NamesWebAcl(c.Get("ResourceArn").String().value_or(""), item)) continue;
    const auto allowed = ctx.CsvParam("KinesisFirehoseDeliveryStreamArns");
    if (allowed.empty()) return Verdict::Compliant("logging is enabled");
    std::string bad;
    for (const json::Value d : c.Get("LogDestinationConfigs").Elements()) {
      const std::string_view dest = d.String().value_or("");
      if (std::find(allowed.begin(), allowed.end(), dest) == allowed.end())
        bad += (bad.empty() ? "" : ", ") + std::string(dest);
    }
    if (bad.empty()) return Verdict::Compliant("logging to a listed delivery stream");
    return Verdict::NonCompliant(
        TruncateUtf8("logging destination not in KinesisFirehoseDeliveryStreamArns: " + bad, 256));
  }
  if (!fact.Get("NextMarker").Empty())
    return Verdict::MissingFact(
        std::string(kFact),
        std::string(kFact) + " is incomplete (it holds a NextMarker): collect every page");
  return Verdict::NonCompliant("logging is not enabled");
}

const ManagedRule kRule{{
    .identifier = "WAF_CLASSIC_LOGGING_ENABLED",
    .resource_types = {"AWS::WAF::WebACL"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "KinesisFirehoseDeliveryStreamArns",
                    .type = ParamType::kCsv,
                    .optional = true}},
    .evaluate = &Evaluate,
    .facts = {"waf-list-logging-configurations"},
}};

}  // namespace
}  // namespace vigil::rules
