// RDS_IN_BACKUP_PLAN (rds-in-backup-plan): Checks whether Amazon RDS DB instances are present in a
// backup plan of AWS Backup: NON_COMPLIANT if the instance is not included in any AWS Backup plan.
//
// Data: the recorded AWS::Backup::BackupSelection items (a backup plan's resource assignments) of
// the resource's account and region, matched against the resource's ARN and tags as AWS Backup
// assigns resources; see backup_util.h for the matching and its choices.
//
// Choices where AWS's page is silent:
// - "Present in a backup plan" means assigned by one of the plan's resource assignments
//   (Resources, NotResources, ListOfTags and Conditions), not merely a plan existing.
// - When AWS::Backup::BackupSelection is not recorded there is no verdict (MissingFact).
#include "rules/managed/backup/backup_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

const ManagedRule kRule{backup::InBackupPlanRule("RDS_IN_BACKUP_PLAN", "AWS::RDS::DBInstance")};

}  // namespace
}  // namespace vigil::rules
