// MQ_CLOUDWATCH_AUDIT_LOG_ENABLED (mq-cloudwatch-audit-log-enabled): an Amazon MQ broker must have
// CloudWatch audit logging enabled: NON_COMPLIANT if the broker does not.
//
// Data: the AWS::AmazonMQ::Broker CI (configuration.EngineType, configuration.Logs.Audit). The
// logic is mq::EvaluateAuditLogging (mq_util.h), shared with MQ_CLOUDWATCH_AUDIT_LOGGING_ENABLED.
//
// Choices where AWS's page is silent (see mq_util.h):
// - RabbitMQ brokers, which have no audit log, are NOT_APPLICABLE.
// - Logs.Audit absent from a recorded Logs object counts as disabled; a pending change
//   (Logs.Pending.Audit) is not considered.
// - A CI without EngineType or Logs gives no verdict: MissingFact.
#include "rules/managed/mq/mq_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& broker) {
  return mq::EvaluateAuditLogging(broker);
}

const ManagedRule kRule{{
    .identifier = "MQ_CLOUDWATCH_AUDIT_LOG_ENABLED",
    .resource_types = {"AWS::AmazonMQ::Broker"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
