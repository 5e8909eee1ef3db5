// EFS_ACCESS_POINT_ENFORCE_ROOT_DIRECTORY (efs-access-point-enforce-root-directory): EFS access
// points must enforce a root directory other than the file system's root. AWS: NON_COMPLIANT if
// the value of 'Path' is set to '/' (the default root directory of the file system);
// `approvedDirectories` lists the subdirectory paths approved as access-point roots.
//
// Data: configuration.RootDirectory.Path of the AWS::EFS::AccessPoint CI.
//
// Choices where AWS's page is silent:
// - An access point without RootDirectory.Path uses "/" (EFS's default) and is NON_COMPLIANT.
// - With `approvedDirectories`, a path outside the list is NON_COMPLIANT. Paths compare exactly
//   after trimming spaces and one trailing "/", so "/data/" and "/data" are the same directory.
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

std::string_view Normalize(std::string_view path) {
  path = Trim(path);
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& ap) {
  json::Value root = ap.Config().Get("RootDirectory");
  if (root.Missing()) root = ap.Config().Get("rootDirectory");
  json::Value path_v = root.Get("Path");
  if (path_v.Missing()) path_v = root.Get("path");
  std::string_view path = Normalize(path_v.String().value_or(""));
  if (path.empty() || path == "/")
    return Verdict::NonCompliant("the access point's root directory is the file system root '/'");
  const std::vector<std::string_view> approved = ctx.CsvParam("approvedDirectories");
  if (approved.empty()) return Verdict::Compliant();
  for (std::string_view a : approved)
    if (Normalize(a) == path) return Verdict::Compliant();
  return Verdict::NonCompliant(
      TruncateUtf8("root directory " + std::string(path) + " is not in approvedDirectories", 256));
}

const ManagedRule kRule{{
    .identifier = "EFS_ACCESS_POINT_ENFORCE_ROOT_DIRECTORY",
    .resource_types = {"AWS::EFS::AccessPoint"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "approvedDirectories", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
