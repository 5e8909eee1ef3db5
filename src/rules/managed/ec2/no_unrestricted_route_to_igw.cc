// NO_UNRESTRICTED_ROUTE_TO_IGW (no-unrestricted-route-to-igw): a route table may not route
// 0.0.0.0/0 or ::/0 to an internet gateway. NON_COMPLIANT if a route whose target is an internet
// gateway (`gatewayId` "igw-...") has destination 0.0.0.0/0 or ::/0, unless the route table is
// listed in routeTableIds (route tables that may have such routes).
//
// Choices where AWS's page is silent:
// - A listed route table is COMPLIANT (it is evaluated, and allowed its routes), not
//   NOT_APPLICABLE. IDs are compared exactly.
// - Routes are counted whatever their `state` (a blackhole route to a deleted gateway is still a
//   route to an internet gateway in the table).
// - Egress-only internet gateways ("eigw-...", `egressOnlyInternetGatewayId`) are not internet
//   gateways; destinations given as prefix lists are not 0.0.0.0/0 or ::/0.
// - Any CIDR with prefix length 0 counts as 0.0.0.0/0 or ::/0.
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& table) {
  const json::Value config = table.Config();
  std::string_view table_id = config.Get("routeTableId").String().value_or("");
  if (table_id.empty()) table_id = table.resource_id;

  std::vector<std::string> routes;
  for (json::Value route : config.Get("routes").Elements()) {
    const std::string_view gateway = Trim(route.Get("gatewayId").String().value_or(""));
    if (!StartsWith(gateway, "igw-")) continue;
    for (const char* key : {"destinationCidrBlock", "destinationIpv6CidrBlock"}) {
      auto dest = route.Get(key).String();
      if (dest && ec2::IsWorldCidr(*dest))
        routes.push_back(std::string(*dest) + " -> " + std::string(gateway));
    }
  }
  if (routes.empty()) return Verdict::Compliant();
  for (std::string_view allowed : ctx.CsvParam("routeTableIds"))
    if (allowed == table_id) return Verdict::Compliant("route table is listed in routeTableIds");
  std::string list;
  for (const std::string& r : routes) list += (list.empty() ? "" : ", ") + r;
  return Verdict::NonCompliant(
      TruncateUtf8("unrestricted route(s) to an internet gateway: " + list, 256));
}

const ManagedRule kRule{{
    .identifier = "NO_UNRESTRICTED_ROUTE_TO_IGW",
    .resource_types = {"AWS::EC2::RouteTable"},
    .trigger = Trigger::kBoth,
    .parameters = {{.name = "routeTableIds", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
