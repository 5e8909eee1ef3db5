// CLOUDFORMATION_STACK_NOTIFICATION_CHECK (cloudformation-stack-notification-check): a
// CloudFormation stack must send its event notifications to an Amazon SNS topic, and optionally
// to one of the topics snsTopic1..snsTopic5. AWS: NON_COMPLIANT if the stack does not send
// notifications.
//
// Data: the AWS::CloudFormation::Stack CI's configuration.notificationARNs (a list of SNS topic
// ARNs).
//
// Choices where AWS's page is silent:
// - With snsTopic1..snsTopic5 given, the stack complies when at least one of its notification
//   ARNs is one of them (compared exactly, after trimming); it may also notify other topics, and
//   need not use every listed topic.
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& stack) {
  std::vector<std::string_view> topics;
  json::Value list = stack.Config().Get("notificationARNs");
  if (list.Missing()) list = stack.Config().Get("NotificationARNs");
  for (json::Value t : list.Elements())
    if (auto arn = t.String(); arn && !Trim(*arn).empty()) topics.push_back(Trim(*arn));
  if (topics.empty()) return Verdict::NonCompliant("the stack sends no notifications");

  std::vector<std::string_view> wanted;
  for (std::string_view p : {"snsTopic1", "snsTopic2", "snsTopic3", "snsTopic4", "snsTopic5"})
    if (auto v = ctx.Param(p); v && !Trim(*v).empty()) wanted.push_back(Trim(*v));
  if (wanted.empty()) return Verdict::Compliant();
  for (std::string_view t : topics)
    for (std::string_view w : wanted)
      if (t == w) return Verdict::Compliant("notifies " + std::string(t));
  return Verdict::NonCompliant(
      TruncateUtf8("the stack notifies none of snsTopic1..snsTopic5 (it notifies " +
                       std::string(topics[0]) + (topics.size() > 1 ? ", ..." : "") + ")",
                   256));
}

const ManagedRule kRule{{
    .identifier = "CLOUDFORMATION_STACK_NOTIFICATION_CHECK",
    .resource_types = {"AWS::CloudFormation::Stack"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "snsTopic2", .type = ParamType::kString, .optional = true},
                   {.name = "snsTopic1", .type = ParamType::kString, .optional = true},
                   {.name = "snsTopic5", .type = ParamType::kString, .optional = true},
                   {.name = "snsTopic4", .type = ParamType::kString, .optional = true},
                   {.name = "snsTopic3", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
