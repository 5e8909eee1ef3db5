// CodeBuild helpers shared by the CodeBuild managed rules, which read AWS::CodeBuild::Project CIs.
#pragma once

#include <string_view>

#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::rules::codebuild {

// The project's name: configuration.name, else the CI's resource name, else its resource ID.
std::string_view ProjectName(const model::ConfigurationItem& project);

// Whether the rule's CSV parameter exemptedProjects lists the project's name (compared exactly).
bool Exempted(const RuleContext& ctx, const model::ConfigurationItem& project);

}  // namespace vigil::rules::codebuild
