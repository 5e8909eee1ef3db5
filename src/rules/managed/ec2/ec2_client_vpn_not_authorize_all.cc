// EC2_CLIENT_VPN_NOT_AUTHORIZE_ALL (ec2-client-vpn-not-authorize-all): Client VPN authorization
// rules must not authorize connection access for all clients. AWS: NON_COMPLIANT if 'AccessAll'
// is present and set to true.
//
// Data: the AWS::EC2::ClientVpnEndpoint CI does not record authorization rules. The keyed fact
// "ec2-describe-client-vpn-authorization-rules" holds, per endpoint ID, the output of
// `aws ec2 describe-client-vpn-authorization-rules --client-vpn-endpoint-id ID`
// ({"AuthorizationRules": [{"DestinationCidr": ..., "AccessAll": true, ...}]}); its keys come
// from "ec2-describe-client-vpn-endpoints" (`aws ec2 describe-client-vpn-endpoints`).
//
// Choices where AWS's page is silent:
// - Every authorization rule of the endpoint counts, whatever its Status (AWS names only
//   AccessAll).
// - The endpoint is named by configuration.Id (or ClientVpnEndpointId), else the resource ID.
// - An endpoint whose rules were not collected has no verdict.
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

const model::FactKindRegistration kEndpoints{{
    .name = "ec2-describe-client-vpn-endpoints",
    .command = "aws ec2 describe-client-vpn-endpoints --region REGION",
    .global = false,
    .keys_from = "",
    .answer_errors = "",
    .description = "the Client VPN endpoints of the region (the keys of "
                   "ec2-describe-client-vpn-authorization-rules)",
}};

const model::FactKindRegistration kAuthorizationRules{{
    .name = "ec2-describe-client-vpn-authorization-rules",
    .command = "aws ec2 describe-client-vpn-authorization-rules --region REGION "
               "--client-vpn-endpoint-id KEY",
    .global = false,
    .keys_from = "ec2-describe-client-vpn-endpoints:ClientVpnEndpoints[].ClientVpnEndpointId",
    .answer_errors = "",
    .description = "the authorization rules of each Client VPN endpoint (AccessAll = every client)",
}};

std::string_view EndpointId(const model::ConfigurationItem& endpoint) {
  for (std::string_view key : {"Id", "ClientVpnEndpointId", "clientVpnEndpointId"})
    if (auto id = endpoint.Config().Get(key).String(); id && !id->empty()) return *id;
  return endpoint.resource_id;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& endpoint) {
  const std::string_view id = EndpointId(endpoint);
  const json::Value answer =
      ctx.Fact("ec2-describe-client-vpn-authorization-rules", endpoint).Get(id);
  const json::Value rules = answer.Get("AuthorizationRules");
  if (!rules.IsArray())
    return Verdict::MissingFact(
        "ec2-describe-client-vpn-authorization-rules",
        TruncateUtf8("authorization rules of " + std::string(id) + " were not collected", 256));
  std::string open;
  size_t count = 0;
  for (json::Value r : rules.Elements()) {
    if (!r.Get("AccessAll").Bool().value_or(false)) continue;
    if (count++ < 5)
      open +=
          (open.empty() ? "" : ", ") + std::string(r.Get("DestinationCidr").String().value_or("?"));
  }
  if (count > 0)
    return Verdict::NonCompliant(TruncateUtf8(
        std::to_string(count) + " authorization rule(s) grant access to all clients: " + open +
            (count > 5 ? ", ..." : ""),
        256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "EC2_CLIENT_VPN_NOT_AUTHORIZE_ALL",
    .resource_types = {"AWS::EC2::ClientVpnEndpoint"},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {"ec2-describe-client-vpn-authorization-rules"},
}};

}  // namespace
}  // namespace vigil::rules
