#include "rules/managed/codebuild/codebuild_util.h"

#include <algorithm>
#include <vector>

namespace vigil::rules::codebuild {

std::string_view ProjectName(const model::ConfigurationItem& project) {
  if (auto n = project.Config().Get("name").String(); n && !n->empty()) return *n;
  return project.resource_name.empty() ? project.resource_id : project.resource_name;
}

bool Exempted(const RuleContext& ctx, const model::ConfigurationItem& project) {
  const std::vector<std::string_view> exempted = ctx.CsvParam("exemptedProjects");
  return std::find(exempted.begin(), exempted.end(), ProjectName(project)) != exempted.end();
}

}  // namespace vigil::rules::codebuild
