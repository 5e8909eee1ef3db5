// LAMBDA_DLQ_CHECK (lambda-dlq-check): Lambda functions must have a dead-letter queue. AWS:
// NON_COMPLIANT if the Lambda function is not configured with a dead-letter queue; `dlqArns`
// lists the Amazon SQS and Amazon SNS ARNs that must be configured as the dead-letter queue
// target.
//
// Data: configuration.deadLetterConfig.targetArn of the AWS::Lambda::Function CI.
//
// Choices where AWS's page is silent:
// - With `dlqArns`, the function's target must be one of them (ARNs compare exactly).
// - Only the dead-letter queue counts; an asynchronous-invocation on-failure destination does not
//   (AWS names the dead-letter queue).
#include <algorithm>
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& function) {
  const std::string_view target =
      Trim(function.Config().Get("deadLetterConfig").Get("targetArn").String().value_or(""));
  if (target.empty()) return Verdict::NonCompliant("no dead-letter queue is configured");
  const std::vector<std::string_view> allowed = ctx.CsvParam("dlqArns");
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), target) == allowed.end())
    return Verdict::NonCompliant(TruncateUtf8(
        "the dead-letter queue " + std::string(target) + " is not one of dlqArns", 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "LAMBDA_DLQ_CHECK",
    .resource_types = {"AWS::Lambda::Function"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "dlqArns", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
