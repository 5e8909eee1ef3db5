// ECS_TASK_DEFINITION_PID_MODE_CHECK (ecs-task-definition-pid-mode-check): ECS task definitions
// must not share the host's process namespace with their containers. AWS: NON_COMPLIANT if the
// pidMode parameter is set to 'host'; the rule "only evaluates the latest active revision of an
// Amazon ECS task definition".
//
// Data: configuration.PidMode of the AWS::ECS::TaskDefinition CI; the other recorded revisions
// of the family decide which revision is the latest active one.
//
// Choices where AWS's page is silent:
// - PidMode compares ignoring case; an absent PidMode (ECS's default, a private namespace per
//   container) or "task" is COMPLIANT.
// - A revision that is not ACTIVE, or older than an ACTIVE revision of the same family recorded
//   in the account and region, is NOT_APPLICABLE (ecs::OutsideLatestActiveRevision).
#include <string>

#include "common/strings.h"
#include "rules/managed/ecs/ecs_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& td) {
  if (auto skip = ecs::OutsideLatestActiveRevision(ctx, td)) return *skip;
  const std::string mode =
      ToLower(Trim(PascalOrCamel(td.Config(), "PidMode").String().value_or("")));
  if (mode == "host")
    return Verdict::NonCompliant("pidMode is host: containers share the host's process namespace");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "ECS_TASK_DEFINITION_PID_MODE_CHECK",
    .resource_types = {"AWS::ECS::TaskDefinition"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
    .context_types = {"AWS::ECS::TaskDefinition"},
}};

}  // namespace
}  // namespace vigil::rules
