// EC2_RESOURCES_PROTECTED_BY_BACKUP_PLAN (ec2-resources-protected-by-backup-plan): Checks if Amazon
// EC2 instances are protected by a backup plan: NON_COMPLIANT if the instance is not covered by a
// backup plan. AWS: "This rule is only applicable to running Amazon EC2 instances and not to
// instances that are powered down": an instance whose state is not "running" is NOT_APPLICABLE.
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
// - An instance without a recorded state gives no verdict (MissingFact).
#include <string>

#include "rules/managed/backup/backup_util.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& resource) {
  const std::string state = ec2::InstanceStateName(resource.Config());
  if (state.empty())
    return Verdict::MissingFact("AWS::EC2::Instance",
                                "the configuration item does not record the instance's state");
  if (state != "running")
    return Verdict::NotApplicable("the instance is " + state + ", not running");
  return backup::EvaluateProtectedByBackupPlan(ctx, resource);
}

const ManagedRule kRule{backup::ProtectedByBackupPlanRule("EC2_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
                                                          "AWS::EC2::Instance", &Evaluate)};

}  // namespace
}  // namespace vigil::rules
