// EFS_ACCESS_POINT_ENFORCE_USER_IDENTITY (efs-access-point-enforce-user-identity): EFS access
// points must enforce a POSIX user identity. AWS: NON_COMPLIANT if 'PosixUser' is not defined, or
// if parameters are provided and there is no match in the corresponding parameter.
//
// Data: configuration.PosixUser (Uid, Gid, SecondaryGids) of the AWS::EFS::AccessPoint CI.
//
// Choices where AWS's page is silent:
// - `approvedUids` is matched against PosixUser.Uid and `approvedGids` against the primary
//   PosixUser.Gid; secondary group IDs are not compared (they add groups, they do not set the
//   identity). IDs compare as decimal text, so "1000" and 1000 are the same ID.
// - A PosixUser without a Uid or Gid is treated as not defined (EFS requires both).
#include <algorithm>
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

json::Value Member(json::Value obj, std::string_view pascal, std::string_view camel) {
  json::Value v = obj.Get(pascal);
  return v.Missing() ? obj.Get(camel) : v;
}

bool Listed(const std::vector<std::string_view>& list, std::string_view id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& ap) {
  const json::Value posix = Member(ap.Config(), "PosixUser", "posixUser");
  const std::string uid(Trim(Member(posix, "Uid", "uid").AsText()));
  const std::string gid(Trim(Member(posix, "Gid", "gid").AsText()));
  if (!posix.IsObject() || uid.empty() || gid.empty())
    return Verdict::NonCompliant("the access point does not enforce a POSIX user");
  const std::vector<std::string_view> uids = ctx.CsvParam("approvedUids");
  if (!uids.empty() && !Listed(uids, uid))
    return Verdict::NonCompliant(
        TruncateUtf8("POSIX user ID " + uid + " is not in approvedUids", 256));
  const std::vector<std::string_view> gids = ctx.CsvParam("approvedGids");
  if (!gids.empty() && !Listed(gids, gid))
    return Verdict::NonCompliant(
        TruncateUtf8("POSIX group ID " + gid + " is not in approvedGids", 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "EFS_ACCESS_POINT_ENFORCE_USER_IDENTITY",
    .resource_types = {"AWS::EFS::AccessPoint"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "approvedUids", .type = ParamType::kCsv, .optional = true},
                   {.name = "approvedGids", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
