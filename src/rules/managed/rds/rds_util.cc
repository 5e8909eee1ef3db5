#include "rules/managed/rds/rds_util.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::rules::rds {

Verdict EvaluateDefaultAdmin(const RuleContext& ctx, const model::ConfigurationItem& db) {
  const std::optional<std::string_view> user = db.Config().Get("masterUsername").String();
  if (!user || user->empty())
    return Verdict::MissingFact(std::string(db.resource_type),
                                "the configuration item does not record masterUsername");
  if (*user == "postgres" || *user == "admin")
    return Verdict::NonCompliant("the admin user name is the default '" + std::string(*user) + "'");
  const auto valid = ctx.CsvParam("validAdminUserNames");
  if (!valid.empty() && std::find(valid.begin(), valid.end(), *user) == valid.end())
    return Verdict::NonCompliant("the admin user name '" + std::string(*user) +
                                 "' is not listed in validAdminUserNames");
  return Verdict::Compliant();
}

}  // namespace vigil::rules::rds
