// AWS Backup coverage shared by the *_IN_BACKUP_PLAN and *_RESOURCES_PROTECTED_BY_BACKUP_PLAN
// rules: which backup plans' resource assignments (backup selections) cover a resource, and the
// checks the *_PROTECTED_BY_BACKUP_PLAN parameters add on those plans.
//
// Data. AWS Config records a backup plan's resource assignments as their own resource type,
// AWS::Backup::BackupSelection (the AWS::Backup::BackupPlan item holds only the plan's rules), and
// AWS Backup Audit Manager's "resources are protected by a backup plan" control, which these rules
// implement, names that type as the one it needs recorded. The selection item's configuration is
// {"BackupPlanId", "SelectionId", "BackupSelection": {"SelectionName", "IamRoleArn",
// "Resources": [...], "NotResources": [...], "ListOfTags": [{"ConditionType", "ConditionKey",
// "ConditionValue"}], "Conditions": {"StringEquals": [{"ConditionKey", "ConditionValue"}],
// "StringNotEquals", "StringLike", "StringNotLike"}}}, the spelling of AWS Backup's
// GetBackupSelection (keys are also matched ignoring case). The plans' copy actions and target
// vaults come from the recorded AWS::Backup::BackupPlan items; whether a vault is locked comes
// from the fact "backup-list-backup-vaults" (AWS Config does not record Vault Lock).
//
// How a selection assigns resources (AWS Backup, "Assign resources with AWS CLI" and the
// BackupSelection API reference): a resource is assigned when it matches one of Resources (ARN
// patterns, `*` any run of characters) or one of ListOfTags (OR), and every Conditions clause
// (AND), and none of NotResources. A selection with neither Resources nor ListOfTags assigns
// every resource (AWS: "Backup selects all supported and opted-in storage resources"). Tag keys
// are read with or without their "aws:ResourceTag/" prefix; values compare case-sensitively;
// StringLike/StringNotLike use `*` wildcards.
//
// Choices where AWS's pages are silent:
// - Service opt-in is not recorded, so it is not applied: a selection of all resources ("*" or
//   no Resources) covers every resource type.
// - StringNotEquals / StringNotLike hold for a resource without the tag (as in IAM).
// - A selection item that records none of Resources, ListOfTags and Conditions (AWS Backup's API
//   returns them, empty or not) may be one AWS Config recorded only partly: when no other
//   selection covers the resource, there is no verdict (MissingFact) rather than a guess.
// - A plan covers the resources of its own account and region only: selections are read from the
//   resource's account and region.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json/value.h"
#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::rules::backup {

inline constexpr std::string_view kSelectionType = "AWS::Backup::BackupSelection";
inline constexpr std::string_view kPlanType = "AWS::Backup::BackupPlan";
inline constexpr std::string_view kVaultType = "AWS::Backup::BackupVault";
inline constexpr std::string_view kListVaultsFact = "backup-list-backup-vaults";
inline constexpr std::string_view kVaultPolicyFact = "backup-get-backup-vault-access-policy";

// Member `name` of `obj`, else the member whose name equals it ignoring case. Missing if none.
json::Value Field(json::Value obj, std::string_view name);

// A string-or-array JSON element (a policy's Action, Resource, a selection's Resources) as its
// string values; other values are skipped.
std::vector<std::string> StringList(json::Value v);

// The ARN AWS Backup knows the resource by: the item's ARN, else one built from its type, region,
// account and ID ("arn:aws:dynamodb:us-east-1:123456789012:table/orders"). "" if neither works.
std::string ResourceArn(const model::ConfigurationItem& resource);

// Whether a BackupSelection object (`{"Resources": ..., "ListOfTags": ..., ...}`) assigns the
// resource, known by `arn` and its tags.
bool SelectionAssigns(json::Value backup_selection, std::string_view arn,
                      const model::ConfigurationItem& resource);

// One recorded selection that assigns the resource.
struct CoveringSelection {
  std::string plan_id;
  std::string name;
};

// What the recorded selections of the resource's account and region say about it.
struct Coverage {
  std::vector<CoveringSelection> covering;  // the selections that assign it
  // Selections whose item records none of Resources, ListOfTags and Conditions: AWS Backup would
  // read that as "every resource", but an item that left those fields out cannot be told from one
  // where they were not recorded, so what they assign is unknown.
  std::vector<std::string> opaque;
};

// nullopt when AWS::Backup::BackupSelection is not recorded there (no item, and the type not
// known).
std::optional<Coverage> CoveringSelections(const RuleContext& ctx,
                                           const model::ConfigurationItem& resource);

// The whole of the parameterless *_IN_BACKUP_PLAN rules: COMPLIANT when a selection covers the
// resource, NON_COMPLIANT when none does, MissingFact when selections are not recorded (or only
// opaque ones could cover it).
Verdict EvaluateInBackupPlan(const RuleContext& ctx, const model::ConfigurationItem& resource);

// The definition of an *_IN_BACKUP_PLAN rule for `resource_type`: periodic, no parameters, judged
// by EvaluateInBackupPlan over the recorded AWS::Backup::BackupSelection items.
ManagedRuleDef InBackupPlanRule(std::string_view identifier, std::string_view resource_type);

// The seven parameters of the *_RESOURCES_PROTECTED_BY_BACKUP_PLAN rules, as AWS declares them.
std::vector<ParamSpec> ProtectedByBackupPlanParams();

// The whole of the *_RESOURCES_PROTECTED_BY_BACKUP_PLAN rules (after the rule's own scope
// checks, such as "running instances only"):
// - resourceId / resourceTags scope the rule: a resource whose ID (or name) differs, or that lacks
//   one of the tags ({"key": "value"} JSON), is NOT_APPLICABLE; resourceTags that is not a JSON
//   object of strings is NOT_APPLICABLE for every resource, with an annotation naming it.
// - The resource must be covered by a selection of a backup plan, and one covering plan must meet
//   every check the parameters ask for:
//   crossRegionList: a copy action of one of its rules goes to a vault in one of the listed
//     regions; crossAccountList: likewise to a vault of one of the listed accounts;
//   backupVaultLockCheck "True" (any case): one of its rules targets a vault that is locked and,
//     when given, whose lock's MinRetentionDays is at least minRetentionDays and whose
//     MaxRetentionDays is at most maxRetentionDays (a lock without a maximum does not meet
//     maxRetentionDays). Any other value of backupVaultLockCheck checks nothing, and
//     min/maxRetentionDays apply only with the lock check.
// MissingFact names the recorded type or fact a needed answer depends on.
Verdict EvaluateProtectedByBackupPlan(const RuleContext& ctx,
                                      const model::ConfigurationItem& resource);

// The definition of a *_RESOURCES_PROTECTED_BY_BACKUP_PLAN rule for `resource_type`: periodic,
// the seven parameters, reading backup selections, plans and vaults (items) and the fact
// backup-list-backup-vaults. `evaluate` is EvaluateProtectedByBackupPlan, or the rule's own
// function when it narrows the scope first (running instances only, Aurora clusters only) and
// then calls EvaluateProtectedByBackupPlan.
ManagedRuleDef ProtectedByBackupPlanRule(std::string_view identifier,
                                         std::string_view resource_type,
                                         EvaluateFn evaluate = &EvaluateProtectedByBackupPlan);

}  // namespace vigil::rules::backup
