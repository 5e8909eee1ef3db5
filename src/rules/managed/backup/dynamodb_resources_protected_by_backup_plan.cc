// DYNAMODB_RESOURCES_PROTECTED_BY_BACKUP_PLAN (dynamodb-resources-protected-by-backup-plan): Checks
// if Amazon DynamoDB tables are protected by a backup plan: NON_COMPLIANT if the table is not
// covered by a backup plan.
//
// Data: the recorded AWS::Backup::BackupSelection items of the resource's account and region
// (matched against the resource's ARN and tags as AWS Backup assigns resources), the recorded
// AWS::Backup::BackupPlan items (copy actions, target vaults) and, for backupVaultLockCheck, the
// vaults' Vault Lock from the fact backup-list-backup-vaults; see backup_util.h.
//
// Choices where AWS's page is silent (the parameters' checks are backup::
// EvaluateProtectedByBackupPlan's):
// - resourceId names the resource by its resource ID, name or ARN; resourceTags requires every
//   listed tag; resources outside that scope are NOT_APPLICABLE.
// - crossRegionList / crossAccountList are met by a copy to any one listed region / account;
//   all requested checks must be met by one and the same covering plan.
// - backupVaultLockCheck only "True" (any case) enables the check; min/maxRetentionDays bound the
//   lock's MinRetentionDays from below and its MaxRetentionDays from above, and apply only with
//   the lock check.
#include "rules/managed/backup/backup_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

const ManagedRule kRule{backup::ProtectedByBackupPlanRule(
    "DYNAMODB_RESOURCES_PROTECTED_BY_BACKUP_PLAN", "AWS::DynamoDB::Table")};

}  // namespace
}  // namespace vigil::rules
