// REDSHIFT_DEFAULT_DB_NAME_CHECK (redshift-default-db-name-check): a Redshift cluster's database
// name must not be the default; NON_COMPLIANT if it is "dev", or if `validDatabaseNames` is given
// and the name is not in it.
//
// Read from the AWS::Redshift::Cluster CI: `configuration.dBName`.
//
// Choices where AWS's page is silent:
// - Names are compared ignoring case: Redshift database names are lower case, so "DEV" in the
//   parameter can only mean "dev".
// - "dev" is NON_COMPLIANT even when listed in `validDatabaseNames`.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& cluster) {
  const std::string_view name = cluster.Config().Get("dBName").String().value_or("");
  const std::string lower = ToLower(Trim(name));
  if (lower == "dev") return Verdict::NonCompliant("the database name is the default 'dev'");
  const std::vector<std::string_view> valid = ctx.CsvParam("validDatabaseNames");
  if (valid.empty()) return Verdict::Compliant();
  for (std::string_view v : valid)
    if (ToLower(v) == lower) return Verdict::Compliant();
  return Verdict::NonCompliant(TruncateUtf8(
      "the database name '" + std::string(name) + "' is not in validDatabaseNames", 256));
}

const ManagedRule kRule{{
    .identifier = "REDSHIFT_DEFAULT_DB_NAME_CHECK",
    .resource_types = {"AWS::Redshift::Cluster"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "validDatabaseNames", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
