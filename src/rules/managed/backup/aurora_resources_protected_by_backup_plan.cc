// AURORA_RESOURCES_PROTECTED_BY_BACKUP_PLAN (aurora-resources-protected-by-backup-plan): Checks if
// Amazon Aurora DB clusters are protected by a backup plan: NON_COMPLIANT if the DB cluster is not
// protected by a backup plan.
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
// - Only Aurora clusters are in scope: a DB cluster whose engine does not start with "aurora"
//   (Multi-AZ DB clusters of RDS for MySQL/PostgreSQL, DocumentDB, Neptune) is NOT_APPLICABLE.
//   A cluster without a recorded engine gives no verdict (MissingFact).
#include <string>

#include "common/strings.h"
#include "rules/managed/backup/backup_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& resource) {
  const std::string engine =
      ToLower(backup::Field(resource.Config(), "engine").String().value_or(""));
  if (engine.empty())
    return Verdict::MissingFact("AWS::RDS::DBCluster",
                                "the configuration item does not record the cluster's engine");
  if (!StartsWith(engine, "aurora"))
    return Verdict::NotApplicable("engine " + engine + " is not Aurora");
  return backup::EvaluateProtectedByBackupPlan(ctx, resource);
}

const ManagedRule kRule{backup::ProtectedByBackupPlanRule(
    "AURORA_RESOURCES_PROTECTED_BY_BACKUP_PLAN", "AWS::RDS::DBCluster", &Evaluate)};

}  // namespace
}  // namespace vigil::rules
