// DMS_REDIS_TLS_ENABLED (dms-redis-tls-enabled): AWS DMS endpoints for Redis data stores must use
// TLS/SSL encryption for the data they exchange: NON_COMPLIANT when it is not enabled, that is
// when configuration.RedisSettings.SslSecurityProtocol (CloudFormation spelling; "plaintext" or
// "ssl-encryption") is not "ssl-encryption". Endpoints of other engines are NOT_APPLICABLE.
//
// Data: the AWS::DMS::Endpoint CI (EngineName, RedisSettings.SslSecurityProtocol).
//
// Choices where AWS's page is silent:
// - Redis endpoints are those whose EngineName is "redis" (ignoring case).
// - A Redis endpoint CI without RedisSettings.SslSecurityProtocol gives no verdict (the DMS API
//   default, ssl-encryption, is not assumed): MissingFact; so does a CI without EngineName.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& endpoint) {
  const json::Value config = endpoint.Config();
  const std::string engine = ToLower(Trim(config.Get("EngineName").String().value_or("")));
  if (engine.empty())
    return Verdict::MissingFact("AWS::DMS::Endpoint",
                                "the configuration item does not record EngineName");
  if (engine != "redis") return Verdict::NotApplicable("not a Redis endpoint ('" + engine + "')");
  const std::optional<std::string_view> protocol =
      config.Get("RedisSettings").Get("SslSecurityProtocol").String();
  if (!protocol || Trim(*protocol).empty())
    return Verdict::MissingFact("AWS::DMS::Endpoint",
                                "the configuration item does not record "
                                "RedisSettings.SslSecurityProtocol");
  if (ToLower(Trim(*protocol)) != "ssl-encryption")
    return Verdict::NonCompliant(TruncateUtf8(
        "TLS/SSL encryption is not enabled (SslSecurityProtocol '" + std::string(*protocol) + "')",
        256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "DMS_REDIS_TLS_ENABLED",
    .resource_types = {"AWS::DMS::Endpoint"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
