// VPC_DEFAULT_SECURITY_GROUP_CLOSED (vpc-default-security-group-closed): the default security
// group of a VPC must have no inbound and no outbound rules. NOT_APPLICABLE for groups that are
// not a default group; NON_COMPLIANT if the default group has one or more inbound or outbound
// rules.
//
// Choices where AWS's page is silent:
// - A group is a default group when its `groupName` is "default" (EC2 reserves that name for the
//   group it creates with each VPC).
// - A missing `ipPermissions` / `ipPermissionsEgress` is an empty list of rules.
#include <string>

#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& group) {
  const json::Value config = group.Config();
  if (config.Get("groupName").String().value_or("") != "default")
    return Verdict::NotApplicable("not a default security group");
  const size_t in = config.Get("ipPermissions").Size();
  const size_t out = config.Get("ipPermissionsEgress").Size();
  if (in == 0 && out == 0) return Verdict::Compliant();
  return Verdict::NonCompliant("default security group has " + std::to_string(in) +
                               " inbound and " + std::to_string(out) + " outbound rule(s)");
}

const ManagedRule kRule{{
    .identifier = "VPC_DEFAULT_SECURITY_GROUP_CLOSED",
    .resource_types = {"AWS::EC2::SecurityGroup"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
