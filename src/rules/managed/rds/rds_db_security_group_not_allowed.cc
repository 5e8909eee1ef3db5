// RDS_DB_SECURITY_GROUP_NOT_ALLOWED (rds-db-security-group-not-allowed): there must be no RDS DB
// security groups other than the default one: a DB security group is NON_COMPLIANT unless it is
// the default DB security group (configuration.dBSecurityGroupName "default").
//
// Data: the AWS::RDS::DBSecurityGroup CI (dBSecurityGroupName).
//
// Choices where AWS's page is silent:
// - The name "default" compares ignoring case and surrounding blanks (RDS stores DB security group
//   names in lower case).
// - Whether the default group has rules (eC2SecurityGroups, iPRanges) is not checked.
// - A CI without dBSecurityGroupName gives no verdict: MissingFact.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& group) {
  const std::optional<std::string_view> name = group.Config().Get("dBSecurityGroupName").String();
  if (!name || Trim(*name).empty())
    return Verdict::MissingFact("AWS::RDS::DBSecurityGroup",
                                "the configuration item does not record dBSecurityGroupName");
  if (ToLower(Trim(*name)) != "default")
    return Verdict::NonCompliant(TruncateUtf8(
        "DB security group '" + std::string(*name) + "' is not the default DB security group",
        256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "RDS_DB_SECURITY_GROUP_NOT_ALLOWED",
    .resource_types = {"AWS::RDS::DBSecurityGroup"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
