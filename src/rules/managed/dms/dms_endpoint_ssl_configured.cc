// DMS_ENDPOINT_SSL_CONFIGURED (dms-endpoint-ssl-configured): AWS DMS endpoints must be configured
// with an SSL connection: NON_COMPLIANT when the endpoint's SSL mode (configuration.SslMode,
// CloudFormation spelling) is "none"; COMPLIANT for "require", "verify-ca" or "verify-full".
//
// Data: the AWS::DMS::Endpoint CI (EngineName, SslMode).
//
// Choices where AWS's page is silent:
// - Endpoints whose engine has no DMS SSL mode are NOT_APPLICABLE: s3, dynamodb, kinesis, kafka,
//   neptune, elasticsearch, opensearch, redshift, redshift-serverless, timestream (DMS encrypts
//   those connections itself or configures them elsewhere; Redshift endpoints already use SSL, as
//   the DMS guide says) and redis (DMS_REDIS_TLS_ENABLED checks its SslSecurityProtocol).
// - Any SslMode other than "none" counts as configured; modes compare ignoring case.
// - A CI without EngineName, or (for other engines) without SslMode, gives no verdict:
//   MissingFact.
#include <array>
#include <string>
#include <string_view>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::array<std::string_view, 11> kNoSslMode = {
    "s3",         "dynamodb", "kinesis",
    "kafka",      "neptune",  "elasticsearch",
    "opensearch", "redshift", "redshift-serverless",
    "timestream", "redis"};

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& endpoint) {
  const json::Value config = endpoint.Config();
  const std::string engine = ToLower(Trim(config.Get("EngineName").String().value_or("")));
  if (engine.empty())
    return Verdict::MissingFact("AWS::DMS::Endpoint",
                                "the configuration item does not record EngineName");
  for (std::string_view e : kNoSslMode)
    if (engine == e)
      return Verdict::NotApplicable("engine '" + engine + "' has no DMS SSL mode setting");
  const std::string mode = ToLower(Trim(config.Get("SslMode").String().value_or("")));
  if (mode.empty())
    return Verdict::MissingFact("AWS::DMS::Endpoint",
                                "the configuration item does not record SslMode");
  if (mode == "none") return Verdict::NonCompliant("the endpoint's SSL mode is 'none'");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "DMS_ENDPOINT_SSL_CONFIGURED",
    .resource_types = {"AWS::DMS::Endpoint"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
