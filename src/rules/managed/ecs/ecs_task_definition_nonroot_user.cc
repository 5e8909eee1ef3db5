// ECS_TASK_DEFINITION_NONROOT_USER (ecs-task-definition-nonroot-user): the containers of an ECS
// task definition for the EC2 launch type must name a user other than root. AWS: NON_COMPLIANT
// if the 'user' parameter is not present or set to 'root'; the rule "only evaluates the latest
// active revision of an Amazon ECS task definition".
//
// Data: configuration.ContainerDefinitions[].User and configuration.RequiresCompatibilities of the
// AWS::ECS::TaskDefinition CI; the other recorded revisions of the family decide which revision is
// the latest active one.
//
// Choices where AWS's page is silent:
// - AWS scopes the rule to "EC2 launch type containers": a task definition whose
//   RequiresCompatibilities is given and does not include EC2 (FARGATE or EXTERNAL only) is
//   NOT_APPLICABLE. Without RequiresCompatibilities ECS validates for EC2, so it is evaluated.
// - The user is root when its user part (before any ':group') is "root" or UID "0"
//   ("root", "0", "root:root", "0:1000"); names compare case-sensitively, as Linux does.
// - One container without a user, or running as root, makes the task definition NON_COMPLIANT.
// - A revision that is not ACTIVE, or older than an ACTIVE revision of the same family recorded
//   in the account and region, is NOT_APPLICABLE (ecs::OutsideLatestActiveRevision).
#include <string>

#include "common/strings.h"
#include "rules/managed/ecs/ecs_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& td) {
  const json::Value compat = PascalOrCamel(td.Config(), "RequiresCompatibilities");
  if (compat.IsArray() && compat.Size() > 0) {
    bool ec2 = false;
    std::string listed;
    for (json::Value c : compat.Elements()) {
      const std::string_view s = c.String().value_or("");
      if (ToLower(s) == "ec2") ec2 = true;
      listed += (listed.empty() ? "" : ", ") + std::string(s);
    }
    if (!ec2)
      return Verdict::NotApplicable(TruncateUtf8(
          "the task definition does not support the EC2 launch type (" + listed + ")", 256));
  }
  Verdict verdict;
  const std::optional<json::Value> containers = ecs::LatestActiveContainers(ctx, td, &verdict);
  if (!containers) return verdict;
  ecs::ContainerList problems(4, "; ");
  size_t i = 0;
  for (json::Value c : containers->Elements()) {
    const std::optional<std::string_view> user = PascalOrCamel(c, "User").String();
    if (!user || Trim(*user).empty())
      problems.Add(ecs::ContainerLabel(c, i) + " has no user");
    else if (ecs::IsRootUser(*user))
      problems.Add(ecs::ContainerLabel(c, i) + " runs as '" + std::string(Trim(*user)) + "'");
    ++i;
  }
  if (problems.count() > 0) return Verdict::NonCompliant(TruncateUtf8(problems.Text(), 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "ECS_TASK_DEFINITION_NONROOT_USER",
    .resource_types = {"AWS::ECS::TaskDefinition"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
    .context_types = {"AWS::ECS::TaskDefinition"},
}};

}  // namespace
}  // namespace vigil::rules
