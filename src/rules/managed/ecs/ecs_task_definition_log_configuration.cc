// ECS_TASK_DEFINITION_LOG_CONFIGURATION (ecs-task-definition-log-configuration): every container
// of the latest active revision of an ECS task definition must have a log configuration. AWS:
// NON_COMPLIANT if an active task definition does not have the logConfiguration resource defined
// or the value for logConfiguration is null in at least one container definition; the rule "only
// evaluates the latest active revision of an Amazon ECS task definition".
//
// Data: configuration.ContainerDefinitions[].LogConfiguration of the AWS::ECS::TaskDefinition CI;
// the other recorded revisions of the family decide which revision is the latest active one.
//
// Choices where AWS's page is silent:
// - A LogConfiguration counts when it is a non-empty object; its log driver is not judged.
// - A revision that is not ACTIVE, or older than an ACTIVE revision of the same family recorded
//   in the account and region, is NOT_APPLICABLE (ecs::OutsideLatestActiveRevision).
#include "rules/managed/ecs/ecs_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

bool WithoutLogConfiguration(json::Value container) {
  const json::Value log = PascalOrCamel(container, "LogConfiguration");
  return !log.IsObject() || log.Size() == 0;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& td) {
  return ecs::JudgeEachContainer(ctx, td, "container(s) without a log configuration",
                                 &WithoutLogConfiguration);
}

const ManagedRule kRule{{
    .identifier = "ECS_TASK_DEFINITION_LOG_CONFIGURATION",
    .resource_types = {"AWS::ECS::TaskDefinition"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
    .context_types = {"AWS::ECS::TaskDefinition"},
}};

}  // namespace
}  // namespace vigil::rules
