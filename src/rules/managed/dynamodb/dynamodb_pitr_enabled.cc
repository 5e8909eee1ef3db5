// DYNAMODB_PITR_ENABLED (dynamodb-pitr-enabled): point-in-time recovery (PITR) must be enabled for
// the DynamoDB table; NON_COMPLIANT if it is not.
//
// Data: supplementaryConfiguration.ContinuousBackupsDescription.pointInTimeRecoveryDescription
// .pointInTimeRecoveryStatus ("ENABLED" | "DISABLED"), which AWS Config records for every table
// (the API's PascalCase spelling is read too).
//
// Choices where AWS's page is silent:
// - Only "ENABLED" is enabled (any case).
// - A CI without ContinuousBackupsDescription (the item was read without its supplementary
//   configuration) gives no verdict: MissingFact.
#include <string>

#include "common/strings.h"
#include "rules/managed/dynamodb/dynamodb_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

using dynamodb::Field;

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& table) {
  const json::Value backups = table.Supplementary("ContinuousBackupsDescription");
  const json::Value status =
      Field(Field(backups, "pointInTimeRecoveryDescription"), "pointInTimeRecoveryStatus");
  if (!status.IsString())
    return Verdict::MissingFact("AWS::DynamoDB::Table",
                                "the configuration item does not record the point-in-time "
                                "recovery status (ContinuousBackupsDescription)");
  const std::string s(*status.String());
  if (ToLower(s) != "enabled") return Verdict::NonCompliant("point-in-time recovery is " + s);
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "DYNAMODB_PITR_ENABLED",
    .resource_types = {"AWS::DynamoDB::Table"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
