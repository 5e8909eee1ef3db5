// VPC_VPN_2_TUNNELS_UP (vpc-vpn-2-tunnels-up): both tunnels of an AWS Site-to-Site VPN connection
// must be UP. AWS: NON_COMPLIANT if one or both tunnels are in DOWN status.
//
// Data: configuration.vgwTelemetry[].status of the AWS::EC2::VPNConnection CI, one entry per
// tunnel ("UP" or "DOWN").
//
// Choices where AWS's page is silent:
// - COMPLIANT needs at least two tunnels reported UP and none DOWN; a connection with fewer than
//   two tunnel entries is NON_COMPLIANT (both tunnels are not shown to be up).
// - Statuses compare ignoring case; a status other than UP counts as down.
// - A CI without vgwTelemetry has no verdict.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& vpn) {
  (void)ctx;
  json::Value telemetry = vpn.Config().Get("vgwTelemetry");
  if (telemetry.Missing()) telemetry = vpn.Config().Get("VgwTelemetry");
  if (!telemetry.IsArray())
    return Verdict::MissingFact("AWS::EC2::VPNConnection",
                                "the configuration item has no vgwTelemetry");
  size_t up = 0;
  std::string down;
  for (json::Value t : telemetry.Elements()) {
    json::Value status = t.Get("status");
    if (status.Missing()) status = t.Get("Status");
    if (ToLower(Trim(status.String().value_or(""))) == "up") {
      ++up;
      continue;
    }
    json::Value ip = t.Get("outsideIpAddress");
    if (ip.Missing()) ip = t.Get("OutsideIpAddress");
    down += (down.empty() ? "" : ", ") + std::string(ip.String().value_or("?"));
  }
  if (!down.empty()) return Verdict::NonCompliant(TruncateUtf8("tunnel(s) not UP: " + down, 256));
  if (up < 2)
    return Verdict::NonCompliant("only " + std::to_string(up) +
                                 " tunnel(s) reported UP; both tunnels must be UP");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "VPC_VPN_2_TUNNELS_UP",
    .resource_types = {"AWS::EC2::VPNConnection"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
