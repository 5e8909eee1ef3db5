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
#include <string>

#include "common/strings.h"
#include "rules/managed/ecs/ecs_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& td) {
  if (auto skip = ecs::OutsideLatestActiveRevision(ctx, td)) return *skip;
  std::optional<Verdict> missing;
  const json::Value defs = ecs::ContainerDefinitions(td, &missing);
  if (missing) return *missing;
  std::string privileged;
  size_t count = 0, i = 0;
  for (json::Value c : defs.Elements()) {
    if (ecs::Field(c, "Privileged").Bool().value_or(false)) {
      if (count++ < 5) privileged += (privileged.empty() ? "" : ", ") + ecs::ContainerLabel(c, i);
    }
    ++i;
  }
  if (count > 0)
    return Verdict::NonCompliant(TruncateUtf8(std::to_string(count) + " privileged container(s): " +
                                                  privileged + (count > 5 ? ", ..." : ""),
                                              256));
  return Verdict::Compliant();
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
