// ECS helpers shared by the ECS managed rules: reading task definitions as AWS Config records
// them, and the "latest active revision" scope AWS documents for the task-definition rules.
//
// AWS Config records AWS::ECS::TaskDefinition in the CloudFormation spelling
// (`configuration.ContainerDefinitions[].ReadonlyRootFilesystem`); the ECS API spells the same
// fields in camelCase (`containerDefinitions[].readonlyRootFilesystem`). The rules read fields
// with PascalOrCamel (rules/fact_util.h), which accepts both.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "json/value.h"
#include "model/configuration_item.h"
#include "rules/fact_util.h"
#include "rules/rule.h"

namespace vigil::rules::ecs {

inline constexpr std::string_view kTaskDefinitionType = "AWS::ECS::TaskDefinition";

// A task definition's family and revision, from configuration.TaskDefinitionArn, the item's ARN
// ("arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION") or its resource name
// ("FAMILY:REVISION"). nullopt if none of them carries a revision.
struct Revision {
  std::string family;
  std::int64_t number = 0;
};
std::optional<Revision> RevisionOf(const model::ConfigurationItem& task_definition);

// Whether the revision's Status is ACTIVE (ignoring case and surrounding spaces). A CI without
// Status counts as ACTIVE.
bool IsActiveRevision(const model::ConfigurationItem& task_definition);

// AWS's task-definition rules "only evaluate the latest active revision of an Amazon ECS task
// definition". Returns NOT_APPLICABLE when the item's Status is not ACTIVE (a deregistered,
// INACTIVE revision, or one being deleted), or when a later ACTIVE revision of the same family is
// recorded in the account and region (rules using this declare kTaskDefinitionType in
// `.context_types`). nullopt when the item is in scope.
std::optional<Verdict> OutsideLatestActiveRevision(const RuleContext& ctx,
                                                   const model::ConfigurationItem& task_definition);

// configuration.ContainerDefinitions, or MissingFact when the CI does not carry the array (a
// task definition always has at least one container, so its absence means the CI is incomplete).
// On success `*missing` is nullopt and the array is returned.
json::Value ContainerDefinitions(const model::ConfigurationItem& task_definition,
                                 std::optional<Verdict>* missing);

// The container definitions of a task definition the latest-active-revision rules evaluate.
// nullopt, with `*verdict` set, when OutsideLatestActiveRevision or ContainerDefinitions gives
// the verdict instead (NOT_APPLICABLE, MissingFact).
std::optional<json::Value> LatestActiveContainers(const RuleContext& ctx,
                                                  const model::ConfigurationItem& task_definition,
                                                  Verdict* verdict);

// The container's Name, or "container N" (1-based) when it has none.
std::string ContainerLabel(json::Value container, size_t index);

// Whether a container's User runs as root: its user part (before any ':group') is "root" or UID
// "0" ("root", "0", "root:root", "0:1000"); names compare case-sensitively, as Linux does.
bool IsRootUser(std::string_view user);

// The offending containers of a task definition, for an annotation: Add() counts every entry and
// keeps the first `max_listed`; Text() joins them with `separator` and ends with
// "<separator>..." when some were left out.
class ContainerList {
 public:
  ContainerList(size_t max_listed, std::string_view separator)
      : max_listed_(max_listed), separator_(separator) {}
  void Add(std::string entry);
  size_t count() const { return count_; }
  std::string Text() const;

 private:
  size_t max_listed_;
  std::string_view separator_;
  size_t count_ = 0;
  std::string listed_;
};

// The labels (ContainerLabel) of the containers of `containers` for which `offends` is true, at
// most five listed, ", "-separated.
ContainerList OffendingContainers(json::Value containers, bool (*offends)(json::Value container));

// The whole of a rule that judges each container of the latest active revision on its own
// (ECS_CONTAINERS_NONPRIVILEGED, ECS_CONTAINERS_READONLY_ACCESS,
// ECS_TASK_DEFINITION_LOG_CONFIGURATION): the verdict of LatestActiveContainers when it gives
// one; NON_COMPLIANT "<count> <what>: <labels>" when `offends` is true for some container
// (`what` names such containers, e.g. "privileged container(s)"); COMPLIANT otherwise.
Verdict JudgeEachContainer(const RuleContext& ctx, const model::ConfigurationItem& task_definition,
                           std::string_view what, bool (*offends)(json::Value container));

}  // namespace vigil::rules::ecs
