// SNS_TOPIC_MESSAGE_DELIVERY_NOTIFICATION_ENABLED
// (sns-topic-message-delivery-notification-enabled): Amazon SNS topics must log the delivery status
// of the messages they send to endpoints. AWS: NON_COMPLIANT if the delivery status notification
// for messages is not enabled.
//
// Data: the AWS::SNS::Topic CI's configuration, the topic's attributes: the delivery-status
// logging roles <Protocol>SuccessFeedbackRoleArn and <Protocol>FailureFeedbackRoleArn for the
// protocols HTTP, Firehose, Lambda, SQS and Application (camelCase spellings are accepted too).
//
// Choices where AWS's page is silent:
// - Delivery status logging counts as enabled when at least one of these ten role ARNs is set,
//   for any protocol, success or failure.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

struct Protocol {
  std::string_view pascal;  // AWS Config's spelling (the topic attribute names)
  std::string_view camel;
};

constexpr Protocol kProtocols[] = {{"HTTP", "http"},
                                   {"Firehose", "firehose"},
                                   {"Lambda", "lambda"},
                                   {"SQS", "sqs"},
                                   {"Application", "application"}};

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& topic) {
  const json::Value c = topic.Config();
  for (const Protocol& p : kProtocols)
    for (std::string_view outcome : {"Success", "Failure"}) {
      const std::string suffix = std::string(outcome) + "FeedbackRoleArn";
      const std::string key = std::string(p.pascal) + suffix;
      std::string_view role = Trim(c.Get(key).String().value_or(""));
      if (role.empty()) role = Trim(c.Get(std::string(p.camel) + suffix).String().value_or(""));
      if (!role.empty())
        return Verdict::Compliant(
            TruncateUtf8(std::string(p.pascal) + " delivery status is logged (" + key + ")", 256));
    }
  return Verdict::NonCompliant("no delivery status logging role is set for any protocol");
}

const ManagedRule kRule{{
    .identifier = "SNS_TOPIC_MESSAGE_DELIVERY_NOTIFICATION_ENABLED",
    .resource_types = {"AWS::SNS::Topic"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
