// EC2_IMDSV2_CHECK (ec2-imdsv2-check): EC2 instances must require Instance Metadata Service
// Version 2 (IMDSv2). AWS: NON_COMPLIANT if HttpTokens is set to optional.
//
// Data: configuration.metadataOptions.httpTokens of the AWS::EC2::Instance CI ("optional" or
// "required").
//
// Choices where AWS's page is silent:
// - A terminated instance is NOT_APPLICABLE (as in the other EC2 instance rules); instances in
//   every other state are evaluated.
// - Only httpTokens "required" (compared ignoring case) is COMPLIANT; it is the one value that
//   turns IMDSv1 off, whatever httpEndpoint says.
// - A CI without metadataOptions.httpTokens (recorded before AWS Config captured it) has no
//   verdict.
#include <string>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& instance) {
  (void)ctx;
  const json::Value config = instance.Config();
  if (auto skip = ec2::NotApplicableIfTerminated(config)) return *skip;
  const std::string_view tokens =
      Trim(config.Get("metadataOptions").Get("httpTokens").String().value_or(""));
  if (tokens.empty())
    return Verdict::MissingFact("AWS::EC2::Instance",
                                "the configuration item has no metadataOptions.httpTokens");
  if (ToLower(tokens) == "required") return Verdict::Compliant();
  return Verdict::NonCompliant(
      TruncateUtf8("IMDSv1 is allowed (httpTokens is " + std::string(tokens) + ")", 256));
}

const ManagedRule kRule{{
    .identifier = "EC2_IMDSV2_CHECK",
    .resource_types = {"AWS::EC2::Instance"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
