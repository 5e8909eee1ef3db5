// EC2_SECURITY_GROUP_ATTACHED_TO_ENI_PERIODIC (ec2-security-group-attached-to-eni-periodic):
// non-default security groups must be attached to an elastic network interface (ENI).
// NON_COMPLIANT if the group is associated with no ENI; groups not owned by the evaluated account
// are NOT_APPLICABLE.
//
// Data: the group is attached when its CI has a relationship to an AWS::EC2::NetworkInterface, or
// when a recorded AWS::EC2::NetworkInterface of the same account and region lists the group in
// `configuration.groups[].groupId` (AWS's page asks for that type to be recorded). When neither
// shows an ENI and AWS::EC2::NetworkInterface is not recorded there, there is no verdict.
//
// Choices where AWS's page is silent:
// - Default groups (`groupName` "default") are NOT_APPLICABLE: the rule checks non-default groups.
// - Ownership is `configuration.ownerId` compared with the CI's account; a CI without ownerId is
//   taken as owned by its account.
// - Only ENIs count: a relationship to an instance without one to an ENI does not make the group
//   attached (every instance's groups are also on its ENIs).
#include <string>
#include <unordered_map>

#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kEni = "AWS::EC2::NetworkInterface";

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& group) {
  const json::Value config = group.Config();
  const std::string_view owner = config.Get("ownerId").String().value_or("");
  if (!owner.empty() && owner != group.account_id)
    return Verdict::NotApplicable("security group is owned by account " + std::string(owner));
  if (config.Get("groupName").String().value_or("") == "default")
    return Verdict::NotApplicable("default security group");
  std::string_view group_id = config.Get("groupId").String().value_or("");
  if (group_id.empty()) group_id = group.resource_id;

  for (json::Value r : group.relationships.Elements())
    if (r.Get("resourceType").String() == kEni)
      return Verdict::Compliant("attached to " +
                                std::string(r.Get("resourceId").String().value_or("an ENI")));

  // The groups of every network interface of the account and region, indexed once per run.
  struct Attachments {
    bool known = false;
    std::unordered_map<std::string, std::string> eni_of_group;  // group ID -> an ENI's ID
  };
  const Attachments& index = ctx.Memo<Attachments>(
      "eni-groups|" + std::string(group.account_id) + "|" + std::string(group.region), [&] {
        Attachments a;
        for (const model::ConfigurationItem* eni :
             ctx.env().Items(kEni, group.account_id, group.region, &a.known))
          for (json::Value g : eni->Config().Get("groups").Elements())
            if (auto id = g.Get("groupId").String())
              a.eni_of_group.try_emplace(std::string(*id), std::string(eni->resource_id));
        return a;
      });
  if (auto it = index.eni_of_group.find(std::string(group_id)); it != index.eni_of_group.end())
    return Verdict::Compliant("attached to " + it->second);
  if (!index.known)
    return Verdict::MissingFact(std::string(kEni),
                                "network interfaces of " + std::string(group.account_id) + "/" +
                                    std::string(group.region) +
                                    " are not recorded: record AWS::EC2::NetworkInterface");
  return Verdict::NonCompliant("security group is not attached to any network interface");
}

const ManagedRule kRule{{
    .identifier = "EC2_SECURITY_GROUP_ATTACHED_TO_ENI_PERIODIC",
    .resource_types = {"AWS::EC2::SecurityGroup"},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .context_types = {"AWS::EC2::NetworkInterface"},
}};

}  // namespace
}  // namespace vigil::rules
