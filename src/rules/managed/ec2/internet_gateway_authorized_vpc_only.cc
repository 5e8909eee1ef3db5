// INTERNET_GATEWAY_AUTHORIZED_VPC_ONLY (internet-gateway-authorized-vpc-only): internet gateways
// may be attached only to authorized VPCs. AWS: NON_COMPLIANT if IGWs are not attached to an
// authorized VPC; "if the parameter is not provided all attached IGWs will be NON_COMPLIANT".
//
// Data: configuration.attachments[].vpcId (and .state) of the AWS::EC2::InternetGateway CI.
//
// Choices where AWS's page is silent:
// - A detached internet gateway (no attachment, or only attachments in state "detached") is
//   COMPLIANT: it is attached to no unauthorized VPC.
// - VPC IDs compare exactly; every attachment must be to an authorized VPC.
// - A CI without an attachments list has no verdict.
#include <algorithm>
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

json::Value Attachments(json::Value config) {
  json::Value a = config.Get("attachments");
  return a.Missing() ? config.Get("Attachments") : a;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& igw) {
  const json::Value attachments = Attachments(igw.Config());
  if (!attachments.IsArray())
    return Verdict::MissingFact("AWS::EC2::InternetGateway",
                                "the configuration item has no attachments list");
  const std::vector<std::string_view> authorized = ctx.CsvParam("AuthorizedVpcIds");
  std::string unauthorized;
  for (json::Value a : attachments.Elements()) {
    json::Value state = a.Get("state");
    if (state.Missing()) state = a.Get("State");
    if (ToLower(Trim(state.String().value_or(""))) == "detached") continue;
    json::Value vpc = a.Get("vpcId");
    if (vpc.Missing()) vpc = a.Get("VpcId");
    const std::string_view id = Trim(vpc.String().value_or(""));
    if (std::find(authorized.begin(), authorized.end(), id) != authorized.end()) continue;
    unauthorized += (unauthorized.empty() ? "" : ", ") + std::string(id);
  }
  if (!unauthorized.empty())
    return Verdict::NonCompliant(
        TruncateUtf8("attached to unauthorized VPC(s): " + unauthorized, 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "INTERNET_GATEWAY_AUTHORIZED_VPC_ONLY",
    .resource_types = {"AWS::EC2::InternetGateway"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "AuthorizedVpcIds", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
