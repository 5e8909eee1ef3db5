// ECS_CONTAINERS_READONLY_ACCESS (ecs-containers-readonly-access): every container of the latest
// active revision of an ECS task definition must have read-only access to its root filesystem.
// AWS: NON_COMPLIANT if readonlyRootFilesystem in a container definition is 'false'; the rule
// "only evaluates the latest active revision of an Amazon ECS task definition".
//
// Data: configuration.ContainerDefinitions[].ReadonlyRootFilesystem of the AWS::ECS::TaskDefinition
// CI; the other recorded revisions of the family decide which revision is the latest active one.
//
// Choices where AWS's page is silent:
// - A container without ReadonlyRootFilesystem is NON_COMPLIANT: ECS's default is false, and
//   Security Hub's ECS.5 (backed by this rule) fails when the parameter "is set to false or ...
//   doesn't exist in the container definition".
// - A revision that is not ACTIVE, or older than an ACTIVE revision of the same family recorded
//   in the account and region, is NOT_APPLICABLE (ecs::OutsideLatestActiveRevision).
#include "rules/managed/ecs/ecs_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

bool Writable(json::Value container) {
  return !PascalOrCamel(container, "ReadonlyRootFilesystem").Bool().value_or(false);
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& td) {
  return ecs::JudgeEachContainer(ctx, td, "container(s) without a read-only root filesystem",
                                 &Writable);
}

const ManagedRule kRule{{
    .identifier = "ECS_CONTAINERS_READONLY_ACCESS",
    .resource_types = {"AWS::ECS::TaskDefinition"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
    .context_types = {"AWS::ECS::TaskDefinition"},
}};

}  // namespace
}  // namespace vigil::rules
