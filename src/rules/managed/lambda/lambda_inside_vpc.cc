// LAMBDA_INSIDE_VPC (lambda-inside-vpc): Lambda functions must be connected to a VPC. AWS:
// NON_COMPLIANT if the Lambda function is not VPC enabled; `subnetIds` lists the subnet IDs that
// Lambda functions can be associated with.
//
// Data: configuration.vpcConfig.subnetIds of the AWS::Lambda::Function CI.
//
// Choices where AWS's page is silent:
// - A function is VPC enabled when vpcConfig names at least one subnet.
// - With `subnetIds`, every subnet of the function must be one of them (the function "can be
//   associated with" those only). Subnet IDs compare exactly.
#include <algorithm>
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& function) {
  const json::Value subnets = function.Config().Get("vpcConfig").Get("subnetIds");
  if (subnets.Size() == 0) return Verdict::NonCompliant("the function is not connected to a VPC");
  const std::vector<std::string_view> allowed = ctx.CsvParam("subnetIds");
  if (allowed.empty()) return Verdict::Compliant();
  std::string other;
  for (json::Value s : subnets.Elements()) {
    const std::string_view id = Trim(s.String().value_or(""));
    if (std::find(allowed.begin(), allowed.end(), id) == allowed.end())
      other += (other.empty() ? "" : ", ") + std::string(id);
  }
  if (!other.empty())
    return Verdict::NonCompliant(TruncateUtf8("subnets not in subnetIds: " + other, 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "LAMBDA_INSIDE_VPC",
    .resource_types = {"AWS::Lambda::Function"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "subnetIds", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
