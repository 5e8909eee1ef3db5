// EC2_INSTANCE_MANAGED_BY_SSM (ec2-instance-managed-by-systems-manager): EC2 instances must be
// managed by AWS Systems Manager (SSM Agent). NON_COMPLIANT if the instance is running and Systems
// Manager does not manage it, or manages it with the agent stopped or terminated; a stopped
// instance whose agent was running is not NON_COMPLIANT.
//
// Data: an instance is managed when AWS Config records an AWS::SSM::ManagedInstanceInventory item
// for it in its account and region (the item's resourceId, or its relationship to the instance,
// names the instance). The agent's state is the inventory's
// `AWS:InstanceInformation.Content.<id>.InstanceStatus` when recorded. Without recorded
// AWS::SSM::ManagedInstanceInventory items for the account and region there is no verdict.
//
// Choices where AWS's page is silent:
// - A terminated instance is NOT_APPLICABLE.
// - An instance that is not running (pending, stopping, stopped, shutting-down) is COMPLIANT when
//   it has an inventory item whose agent status is not Stopped/Terminated, and NOT_APPLICABLE
//   otherwise (AWS only says such an instance is never NON_COMPLIANT).
// - An inventory without InstanceStatus counts as a running agent.
// - AWS::SSM::ManagedInstanceInventory items, which AWS lists as a resource type of the rule, are
//   NOT_APPLICABLE: the rule reports on the instance.
#include <string>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kInventory = "AWS::SSM::ManagedInstanceInventory";

bool InventoryOf(const model::ConfigurationItem& inv, std::string_view instance_id) {
  std::string_view id = inv.resource_id;
  if (const size_t slash = id.rfind('/'); slash != std::string_view::npos)
    id = id.substr(slash + 1);
  if (id == instance_id) return true;
  for (json::Value r : inv.relationships.Elements())
    if (r.Get("resourceType").String() == "AWS::EC2::Instance" &&
        r.Get("resourceId").String() == instance_id)
      return true;
  return false;
}

// The agent status the inventory records for the instance ("" when none).
std::string AgentStatus(const model::ConfigurationItem& inv, std::string_view instance_id) {
  const json::Value content = inv.Config().Get("AWS:InstanceInformation").Get("Content");
  json::Value info = content.Get(instance_id);
  if (info.Missing())
    for (const auto m : content.Members()) info = m.value;
  return ToLower(Trim(info.Get("InstanceStatus").String().value_or("")));
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  if (item.resource_type == kInventory)
    return Verdict::NotApplicable("the rule reports on the EC2 instance");
  const json::Value config = item.Config();
  const std::string state = ec2::InstanceStateName(config);
  if (state == "terminated") return Verdict::NotApplicable("instance is terminated");
  std::string_view instance_id = config.Get("instanceId").String().value_or("");
  if (instance_id.empty()) instance_id = item.resource_id;

  bool known = false;
  const auto inventories = ctx.env().Items(kInventory, item.account_id, item.region, &known);
  if (!known)
    return Verdict::MissingFact(std::string(kInventory),
                                "Systems Manager inventory of " + std::string(item.account_id) +
                                    "/" + std::string(item.region) +
                                    " is not recorded: record AWS::SSM::ManagedInstanceInventory");
  const model::ConfigurationItem* inventory = nullptr;
  for (const model::ConfigurationItem* inv : inventories)
    if (InventoryOf(*inv, instance_id)) inventory = inv;

  std::string agent;
  if (inventory != nullptr) agent = AgentStatus(*inventory, instance_id);
  const bool agent_down = agent == "stopped" || agent == "terminated";
  if (state != "running") {
    if (inventory != nullptr && !agent_down) return Verdict::Compliant();
    return Verdict::NotApplicable("instance is " + (state.empty() ? "not running" : state));
  }
  if (inventory == nullptr)
    return Verdict::NonCompliant("running instance is not managed by Systems Manager");
  if (agent_down) return Verdict::NonCompliant("running instance's SSM Agent status is " + agent);
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "EC2_INSTANCE_MANAGED_BY_SSM",
    .resource_types = {"AWS::EC2::Instance", "AWS::SSM::ManagedInstanceInventory"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
    .context_types = {"AWS::SSM::ManagedInstanceInventory"},
}};

}  // namespace
}  // namespace vigil::rules
