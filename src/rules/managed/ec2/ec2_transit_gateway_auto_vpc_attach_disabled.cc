// EC2_TRANSIT_GATEWAY_AUTO_VPC_ATTACH_DISABLED (ec2-transit-gateway-auto-vpc-attach-disabled):
// transit gateways must not accept shared attachments automatically. AWS: NON_COMPLIANT for a
// transit gateway if 'AutoAcceptSharedAttachments' is set to 'enable'.
//
// Data: configuration.AutoAcceptSharedAttachments of the AWS::EC2::TransitGateway CI (the EC2
// API's Options.AutoAcceptSharedAttachments and camelCase spellings are read too).
//
// Choices where AWS's page is silent:
// - Values compare ignoring case; any value other than "enable" ("disable") is COMPLIANT.
// - A CI without the option has no verdict.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

std::string_view AutoAccept(json::Value config) {
  for (json::Value holder : {config, config.Get("Options"), config.Get("options")})
    for (std::string_view key : {"AutoAcceptSharedAttachments", "autoAcceptSharedAttachments"})
      if (auto v = holder.Get(key).String(); v && !Trim(*v).empty()) return Trim(*v);
  return {};
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& tgw) {
  (void)ctx;
  const std::string_view value = AutoAccept(tgw.Config());
  if (value.empty())
    return Verdict::MissingFact("AWS::EC2::TransitGateway",
                                "the configuration item has no AutoAcceptSharedAttachments");
  if (ToLower(value) == "enable")
    return Verdict::NonCompliant("AutoAcceptSharedAttachments is enable");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "EC2_TRANSIT_GATEWAY_AUTO_VPC_ATTACH_DISABLED",
    .resource_types = {"AWS::EC2::TransitGateway"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
