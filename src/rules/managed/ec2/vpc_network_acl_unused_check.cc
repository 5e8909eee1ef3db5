// VPC_NETWORK_ACL_UNUSED_CHECK (vpc-network-acl-unused-check): every network ACL must be
// associated with a subnet. COMPLIANT if the network ACL is associated with at least one subnet,
// NON_COMPLIANT if it is associated with none.
//
// Choices where AWS's page is silent:
// - A subnet association is either a relationship to an AWS::EC2::Subnet (what Security Hub's
//   EC2.16 control, which runs this rule, says it reads) or an entry of
//   `configuration.associations` with a `subnetId`; either suffices.
// - Default network ACLs get no exception: AWS's page names none, so an unused default network
//   ACL is NON_COMPLIANT like any other.
#include <set>
#include <string>

#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& acl) {
  std::set<std::string_view> subnets;
  for (json::Value a : acl.Config().Get("associations").Elements())
    if (auto id = a.Get("subnetId").String(); id && !id->empty()) subnets.insert(*id);
  for (json::Value r : acl.relationships.Elements())
    if (r.Get("resourceType").String() == "AWS::EC2::Subnet")
      if (auto id = r.Get("resourceId").String(); id && !id->empty()) subnets.insert(*id);
  if (subnets.empty())
    return Verdict::NonCompliant("network ACL is not associated with any subnet");
  return Verdict::Compliant("associated with " + std::to_string(subnets.size()) + " subnet(s)");
}

const ManagedRule kRule{{
    .identifier = "VPC_NETWORK_ACL_UNUSED_CHECK",
    .resource_types = {"AWS::EC2::NetworkAcl"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
