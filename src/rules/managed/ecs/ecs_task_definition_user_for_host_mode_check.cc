// ECS_TASK_DEFINITION_USER_FOR_HOST_MODE_CHECK (ecs-task-definition-user-for-host-mode-check):
// containers of ECS task definitions in host network mode must be privileged or run as a
// non-root user. AWS: NON_COMPLIANT if the latest active revision of a task definition has
// privileged=false (or null) AND user=root (or null); COMPLIANT if the network mode is not host,
// or privileged=true, or the user is not root. `SkipInactiveTaskDefinitions` true: INACTIVE task
// definitions are not evaluated; false: "the rule will evaluate the latest revision of INACTIVE
// task definitions".
//
// Data: configuration.NetworkMode, Status and ContainerDefinitions[].Privileged / .User of the
// AWS::ECS::TaskDefinition CI; the other recorded revisions of the family decide which revision
// is the latest (active) one.
//
// Choices where AWS's page is silent:
// - Every container is checked: one container that is neither privileged nor run by a non-root
//   user makes the task definition NON_COMPLIANT.
// - The user is root when its user part (before any ':group') is "root" or UID "0", as in
//   ECS_TASK_DEFINITION_NONROOT_USER.
// - An absent NetworkMode is not host (ECS's default is bridge or awsvpc).
// - Any status other than ACTIVE (INACTIVE, DELETE_IN_PROGRESS) counts as inactive. An absent
//   SkipInactiveTaskDefinitions counts as false. An inactive revision is then evaluated only when
//   no later revision of its family (in any status) is recorded in the account and region, and is
//   NOT_APPLICABLE otherwise.
// - An ACTIVE revision older than an ACTIVE revision of the same family recorded in the account
//   and region is NOT_APPLICABLE (ecs::OutsideLatestActiveRevision).
#include <string>

#include "common/strings.h"
#include "rules/managed/ecs/ecs_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

// A container that is neither privileged nor run by a non-root user.
bool UnprivilegedRoot(json::Value container) {
  const bool privileged = PascalOrCamel(container, "Privileged").Bool().value_or(false);
  const std::string_view user = Trim(PascalOrCamel(container, "User").String().value_or(""));
  return !privileged && (user.empty() || ecs::IsRootUser(user));
}

// For an inactive revision: NOT_APPLICABLE when it is skipped or superseded.
std::optional<Verdict> InactiveOutOfScope(const RuleContext& ctx,
                                          const model::ConfigurationItem& td) {
  const std::string status(Trim(PascalOrCamel(td.Config(), "Status").String().value_or("")));
  if (ctx.BoolParam("SkipInactiveTaskDefinitions").value_or(false))
    return Verdict::NotApplicable("the task definition is " + status +
                                  " and SkipInactiveTaskDefinitions is true");
  const std::optional<ecs::Revision> mine = ecs::RevisionOf(td);
  if (!mine) return std::nullopt;
  bool known = false;
  for (const model::ConfigurationItem* other :
       ctx.env().Items(ecs::kTaskDefinitionType, td.account_id, td.region, &known)) {
    if (other == &td) continue;
    const std::optional<ecs::Revision> r = ecs::RevisionOf(*other);
    if (r && r->family == mine->family && r->number > mine->number)
      return Verdict::NotApplicable("revision " + std::to_string(mine->number) + " of " +
                                    mine->family + " is " + status +
                                    " and superseded by revision " + std::to_string(r->number));
  }
  return std::nullopt;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& td) {
  if (ecs::IsActiveRevision(td)) {
    if (auto skip = ecs::OutsideLatestActiveRevision(ctx, td)) return *skip;
  } else if (auto skip = InactiveOutOfScope(ctx, td)) {
    return *skip;
  }
  const std::string mode =
      ToLower(Trim(PascalOrCamel(td.Config(), "NetworkMode").String().value_or("")));
  if (mode != "host")
    return Verdict::Compliant("network mode is " + (mode.empty() ? std::string("not set") : mode));
  std::optional<Verdict> missing;
  const json::Value defs = ecs::ContainerDefinitions(td, &missing);
  if (missing) return *missing;
  const ecs::ContainerList offending = ecs::OffendingContainers(defs, &UnprivilegedRoot);
  if (offending.count() > 0)
    return Verdict::NonCompliant(
        TruncateUtf8("host network mode with " + std::to_string(offending.count()) +
                         " non-privileged root container(s): " + offending.Text(),
                     256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "ECS_TASK_DEFINITION_USER_FOR_HOST_MODE_CHECK",
    .resource_types = {"AWS::ECS::TaskDefinition"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "SkipInactiveTaskDefinitions",
                    .type = ParamType::kBoolean,
                    .optional = true}},
    .evaluate = &Evaluate,
    .context_types = {"AWS::ECS::TaskDefinition"},
}};

}  // namespace
}  // namespace vigil::rules
