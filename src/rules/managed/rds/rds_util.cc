#include "rules/managed/rds/rds_util.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"

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

Verdict RequireSetting(const model::ConfigurationItem& db, std::string_view field, bool wanted,
                       std::string_view otherwise) {
  const std::optional<bool> value = db.Config().Get(field).Bool();
  if (!value)
    return Verdict::MissingFact(std::string(db.resource_type),
                                "the configuration item does not record " + std::string(field));
  if (*value != wanted) return Verdict::NonCompliant(std::string(otherwise));
  return Verdict::Compliant();
}

std::string Engine(const model::ConfigurationItem& item) {
  return ToLower(Trim(item.Config().Get("engine").String().value_or("")));
}

std::optional<Verdict> RequireEngine(const model::ConfigurationItem& item, std::string_view engine,
                                     std::string_view service) {
  const std::string actual = Engine(item);
  if (actual.empty())
    return Verdict::MissingFact(std::string(item.resource_type),
                                "the configuration item does not record the engine");
  if (actual != ToLower(engine))
    return Verdict::NotApplicable("engine '" + actual + "' is not " + std::string(service));
  return std::nullopt;
}

std::optional<bool> SnapshotIsPublic(const model::ConfigurationItem& snapshot) {
  json::Value attributes = snapshot.Supplementary("DBClusterSnapshotAttributes");
  if (!attributes.IsArray()) attributes = snapshot.Supplementary("DBSnapshotAttributes");
  if (!attributes.IsArray()) return std::nullopt;
  for (json::Value attribute : attributes.Elements()) {
    if (ToLower(attribute.Get("attributeName").String().value_or("")) != "restore") continue;
    for (json::Value v : attribute.Get("attributeValues").Elements())
      if (ToLower(Trim(v.String().value_or(""))) == "all") return true;
  }
  return false;
}

bool KmsKeyListed(std::span<const std::string_view> wanted, std::string_view actual) {
  return std::any_of(wanted.begin(), wanted.end(),
                     [actual](std::string_view w) { return ec2::KmsKeyMatches(w, actual); });
}

Verdict EvaluateClusterEncryption(const model::ConfigurationItem& cluster,
                                  std::span<const std::string_view> keys) {
  const json::Value config = cluster.Config();
  if (!config.Get("storageEncrypted").Bool().value_or(false))
    return Verdict::NonCompliant("storage encryption is not enabled");
  if (!keys.empty()) {
    const std::string_view actual = config.Get("kmsKeyId").String().value_or("");
    if (actual.empty() || !KmsKeyListed(keys, actual))
      return Verdict::NonCompliant(TruncateUtf8("storage is encrypted with KMS key '" +
                                                    std::string(actual) +
                                                    "', which is not one of the listed keys",
                                                256));
  }
  return Verdict::Compliant();
}

}  // namespace vigil::rules::rds
