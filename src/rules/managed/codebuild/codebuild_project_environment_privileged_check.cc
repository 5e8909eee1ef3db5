// CODEBUILD_PROJECT_ENVIRONMENT_PRIVILEGED_CHECK (codebuild-project-environment-privileged-check):
// CodeBuild project environments must not run in privileged mode. AWS: NON_COMPLIANT if
// 'privilegedMode' is set to 'true'; `exemptedProjects` lists project names allowed to have it.
//
// Data: configuration.environment.privilegedMode and configuration.name of the
// AWS::CodeBuild::Project CI.
//
// Choices where AWS's page is silent:
// - An exempted project is COMPLIANT (it is "allowed to have privilegedMode true"), whatever its
//   mode. Project names compare exactly.
// - A project without privilegedMode is not privileged (CodeBuild's default is false).
#include "rules/managed/codebuild/codebuild_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& project) {
  const bool privileged =
      project.Config().Get("environment").Get("privilegedMode").Bool().value_or(false);
  if (codebuild::Exempted(ctx, project))
    return Verdict::Compliant(privileged ? "privileged mode is on; the project is exempted" : "");
  if (privileged) return Verdict::NonCompliant("the build environment runs in privileged mode");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "CODEBUILD_PROJECT_ENVIRONMENT_PRIVILEGED_CHECK",
    .resource_types = {"AWS::CodeBuild::Project"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "exemptedProjects", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
