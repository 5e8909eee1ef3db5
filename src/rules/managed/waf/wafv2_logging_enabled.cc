// WAFV2_LOGGING_ENABLED (wafv2-logging-enabled): AWS WAFV2 regional and global web ACLs must
// have logging enabled. AWS: NON_COMPLIANT if logging is not enabled, or if it is enabled but its
// destination is not one of `KinesisFirehoseDeliveryStreamArns` when given.
//
// AWS Config's AWS::WAFv2::WebACL CI does not carry the logging configuration. It comes from
// `aws wafv2 list-logging-configurations`, one fact per scope:
// - regional web ACLs (ARN ".../regional/webacl/..."): "wafv2-list-logging-configurations",
//   collected in the web ACL's region with --scope REGIONAL;
// - CloudFront web ACLs (ARN ".../global/webacl/..."):
//   "wafv2-list-logging-configurations-cloudfront", collected once per account in us-east-1
//   with --scope CLOUDFRONT (a global fact).
// Each holds {"LoggingConfigurations": [{"ResourceArn", "LogDestinationConfigs": [...]}, ...]}.
//
// Choices where AWS's page is silent:
// - A web ACL is logged when a logging configuration names its ARN; with the parameter, every
//   destination of that configuration must be listed (WAF allows one destination). Destinations
//   of any kind (Firehose, CloudWatch Logs, S3) are compared with the parameter's ARNs exactly.
// - A fact that still holds a NextMarker is incomplete: a web ACL missing from it gives no
//   verdict.
#include <algorithm>
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kRegionalFact = "wafv2-list-logging-configurations";
constexpr std::string_view kCloudFrontFact = "wafv2-list-logging-configurations-cloudfront";

const model::FactKindRegistration kRegional{{
    .name = "wafv2-list-logging-configurations",
    .command = "aws wafv2 list-logging-configurations --region REGION --scope REGIONAL",
    .global = false,
    .description = "logging configurations of the regional WAFV2 web ACLs",
}};

const model::FactKindRegistration kCloudFront{{
    .name = "wafv2-list-logging-configurations-cloudfront",
    .command = "aws wafv2 list-logging-configurations --region us-east-1 --scope CLOUDFRONT",
    .global = true,
    .description = "logging configurations of the CloudFront (global) WAFV2 web ACLs",
}};

std::string_view WebAclArn(const model::ConfigurationItem& item) {
  if (!item.arn.empty()) return item.arn;
  const json::Value c = item.Config();
  for (std::string_view key : {"ARN", "arn", "Arn"})
    if (auto a = c.Get(key).String(); a && !a->empty()) return *a;
  return item.resource_id;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  const std::string_view arn = WebAclArn(item);
  const bool global = arn.find(":global/webacl/") != std::string_view::npos;
  const std::string_view fact_name = global ? kCloudFrontFact : kRegionalFact;
  const json::Value fact = ctx.Fact(fact_name, item);
  const json::Value configs = fact.Get("LoggingConfigurations");
  if (!configs.IsArray())
    return Verdict::MissingFact(std::string(fact_name), std::string("logging configurations of ") +
                                                            (global ? "CloudFront" : "regional") +
                                                            " web ACLs are unknown: collect " +
                                                            std::string(fact_name));
  for (const json::Value c : configs.Elements()) {
    if (c.Get("ResourceArn").String().value_or("") != arn) continue;
    const auto allowed = ctx.CsvParam("KinesisFirehoseDeliveryStreamArns");
    if (allowed.empty()) return Verdict::Compliant();
    std::string bad;
    for (const json::Value d : c.Get("LogDestinationConfigs").Elements()) {
      const std::string_view dest = d.String().value_or("");
      if (std::find(allowed.begin(), allowed.end(), dest) == allowed.end())
        bad += (bad.empty() ? "" : ", ") + std::string(dest);
    }
    if (bad.empty()) return Verdict::Compliant();
    return Verdict::NonCompliant(
        TruncateUtf8("logging destination not in KinesisFirehoseDeliveryStreamArns: " + bad, 256));
  }
  if (!fact.Get("NextMarker").Empty())
    return Verdict::MissingFact(
        std::string(fact_name),
        std::string(fact_name) + " is incomplete (it holds a NextMarker): collect every page");
  return Verdict::NonCompliant("logging is not enabled");
}

const ManagedRule kRule{{
    .identifier = "WAFV2_LOGGING_ENABLED",
    .resource_types = {"AWS::WAFv2::WebACL"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "KinesisFirehoseDeliveryStreamArns",
                    .type = ParamType::kCsv,
                    .optional = true}},
    .evaluate = &Evaluate,
    .facts = {"wafv2-list-logging-configurations", "wafv2-list-logging-configurations-cloudfront"},
}};

}  // namespace
}  // namespace vigil::rules
