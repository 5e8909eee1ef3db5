// MQ_CLOUDWATCH_AUDIT_LOGGING_ENABLED (mq-cloudwatch-audit-logging-enabled): Amazon MQ brokers must
// have CloudWatch audit logging enabled: NON_COMPLIANT if a broker does not. Periodic.
//
// Data: AWS's periodic rule reads the Amazon MQ API; AWS Config records the same setting in the
// AWS::AmazonMQ::Broker CI (configuration.Logs.Audit), so vigil reads the CI. The logic is
// mq::EvaluateAuditLogging (mq_util.h), shared with MQ_CLOUDWATCH_AUDIT_LOG_ENABLED.
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
    .identifier = "MQ_CLOUDWATCH_AUDIT_LOGGING_ENABLED",
    .resource_types = {"AWS::AmazonMQ::Broker"},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
