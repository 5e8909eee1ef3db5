// REDSHIFT_DEFAULT_ADMIN_CHECK (redshift-default-admin-check): a Redshift cluster's admin user
// name must not be the default; NON_COMPLIANT if it is "awsuser", or if `validAdminUserNames` is
// given and the name is not in it.
//
// Read from the AWS::Redshift::Cluster CI: `configuration.masterUsername`.
//
// Choices where AWS's page is silent:
// - Names are compared ignoring case: Redshift stores admin user names in lower case, so
//   "AWSUser" in the parameter can only mean "awsuser".
// - "awsuser" is NON_COMPLIANT even when listed in `validAdminUserNames` (AWS: "'awsuser' is the
//   default and not accepted").
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& cluster) {
  const std::string_view name = cluster.Config().Get("masterUsername").String().value_or("");
  const std::string lower = ToLower(Trim(name));
  if (lower == "awsuser")
    return Verdict::NonCompliant("the admin user name is the default 'awsuser'");
  const std::vector<std::string_view> valid = ctx.CsvParam("validAdminUserNames");
  if (valid.empty()) return Verdict::Compliant();
  for (std::string_view v : valid)
    if (ToLower(v) == lower) return Verdict::Compliant();
  return Verdict::NonCompliant(TruncateUtf8(
      "the admin user name '" + std::string(name) + "' is not in validAdminUserNames", 256));
}

const ManagedRule kRule{{
    .identifier = "REDSHIFT_DEFAULT_ADMIN_CHECK",
    .resource_types = {"AWS::Redshift::Cluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "validAdminUserNames", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
