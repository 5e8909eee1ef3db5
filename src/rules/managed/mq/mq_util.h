// Helpers shared by the Amazon MQ managed rules.
#pragma once

#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::rules::mq {

// The whole of MQ_CLOUDWATCH_AUDIT_LOGGING_ENABLED and MQ_CLOUDWATCH_AUDIT_LOG_ENABLED, for an
// AWS::AmazonMQ::Broker CI (CloudFormation spelling): COMPLIANT when configuration.Logs.Audit is
// true, NON_COMPLIANT when it is false or absent from a recorded Logs object. Brokers whose
// EngineType is RabbitMQ are NOT_APPLICABLE (only ActiveMQ brokers have audit logs). A pending
// change (Logs.Pending.Audit) is not considered. MissingFact(resource type) when the CI records no
// EngineType or no Logs object.
Verdict EvaluateAuditLogging(const model::ConfigurationItem& broker);

}  // namespace vigil::rules::mq
