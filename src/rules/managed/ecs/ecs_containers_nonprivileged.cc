// ECS_CONTAINERS_NONPRIVILEGED (ecs-containers-nonprivileged): no container of the latest active
// revision of an ECS task definition may be privileged. AWS: NON_COMPLIANT if the privileged
// parameter in a container definition is 'true'; the rule "only evaluates the latest active
// revision of an Amazon ECS task definition".
//
// Data: configuration.ContainerDefinitions[].Privileged of the AWS::ECS::TaskDefinition CI; the
// other recorded revisions of the family decide which revision is the latest active one.
//
// Choices where AWS's page is silent:
// - A container without Privileged is not privileged (ECS's default is false).
// - A revision that is not ACTIVE, or older than an ACTIVE revision of the same family recorded
//   in the account and region, is NOT_APPLICABLE (ecs::OutsideLatestActiveRevision).
#include "rules/managed/ecs/ecs_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

bool Privileged(json::Value container) {
  return PascalOrCamel(container, "Privileged").Bool().value_or(false);
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& td) {
  return ecs::JudgeEachContainer(ctx, td, "privileged container(s)", &Privileged);
}

const ManagedRule kRule{{
    .identifier = "ECS_CONTAINERS_NONPRIVILEGED",
    .resource_types = {"AWS::ECS::TaskDefinition"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
    .context_types = {"AWS::ECS::TaskDefinition"},
}};

}  // namespace
}  // namespace vigil::rules
