// ECS helpers shared by the ECS managed rules: reading task definitions as AWS Config records
// them, and the "latest active revision" scope AWS documents for the task-definition rules.
//
// AWS Config records AWS::ECS::TaskDefinition in the CloudFormation spelling
// (`configuration.ContainerDefinitions[].ReadonlyRootFilesystem`); the ECS API spells the same
// fields in camelCase (`containerDefinitions[].readonlyRootFilesystem`). Field() accepts both.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "json/value.h"
#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::rules::ecs {

inline constexpr std::string_view kTaskDefinitionType = "AWS::ECS::TaskDefinition";

// Member `pascal` of `obj` ("ReadonlyRootFilesystem"), else its camelCase spelling
// ("readonlyRootFilesystem"). Missing if neither is there.
json::Value Field(json::Value obj, std::string_view pascal);

// A task definition's family and revision, from configuration.TaskDefinitionArn, the item's ARN
// ("arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION") or its resource name
// ("FAMILY:REVISION"). nullopt if none of them carries a revision.
struct Revision {
  std::string family;
  std::int64_t number = 0;
};
std::optional<Revision> RevisionOf(const model::ConfigurationItem& task_definition);

// AWS's task-definition rules "only evaluate the latest active revision of an Amazon ECS task
// definition". Returns NOT_APPLICABLE when the item's Status is not ACTIVE (a deregistered,
// INACTIVE revision, or one being deleted), or when a later ACTIVE revision of the same family is
// recorded in the account and region (rules using this declare kTaskDefinitionType in
// `.context_types`). nullopt when the item is in scope. A CI without Status counts as ACTIVE.
std::optional<Verdict> OutsideLatestActiveRevision(const RuleContext& ctx,
                                                   const model::ConfigurationItem& task_definition);

// configuration.ContainerDefinitions, or MissingFact when the CI does not carry the array (a
// task definition always has at least one container, so its absence means the CI is incomplete).
// On success `*missing` is nullopt and the array is returned.
json::Value ContainerDefinitions(const model::ConfigurationItem& task_definition,
                                 std::optional<Verdict>* missing);

// The container's Name, or "container N" (1-based) when it has none.
std::string ContainerLabel(json::Value container, size_t index);

}  // namespace vigil::rules::ecs
