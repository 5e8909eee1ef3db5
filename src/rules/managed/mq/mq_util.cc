#include "rules/managed/mq/mq_util.h"

#include <string>

#include "common/strings.h"

namespace vigil::rules::mq {

Verdict EvaluateAuditLogging(const model::ConfigurationItem& broker) {
  const json::Value config = broker.Config();
  const std::string engine = ToLower(Trim(config.Get("EngineType").String().value_or("")));
  if (engine.empty())
    return Verdict::MissingFact("AWS::AmazonMQ::Broker",
                                "the configuration item does not record EngineType");
  if (engine == "rabbitmq") return Verdict::NotApplicable("RabbitMQ brokers have no audit logs");
  const json::Value logs = config.Get("Logs");
  if (!logs.IsObject())
    return Verdict::MissingFact("AWS::AmazonMQ::Broker",
                                "the configuration item does not record Logs");
  if (!logs.Get("Audit").Bool().value_or(false))
    return Verdict::NonCompliant("audit logging to CloudWatch Logs is not enabled");
  return Verdict::Compliant();
}

}  // namespace vigil::rules::mq
