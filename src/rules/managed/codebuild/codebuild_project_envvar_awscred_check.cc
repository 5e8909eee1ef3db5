// CODEBUILD_PROJECT_ENVVAR_AWSCRED_CHECK (codebuild-project-envvar-awscred-check): CodeBuild
// projects must not hold AWS credentials in plaintext environment variables. AWS: checks whether
// the project contains environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY;
// NON_COMPLIANT when the project environment variables contain plaintext credentials.
//
// Data: configuration.environment.environmentVariables[] ({name, value, type}) of the
// AWS::CodeBuild::Project CI.
//
// Choices where AWS's page is silent:
// - Either variable alone, of type PLAINTEXT (CodeBuild's default when type is absent), is
//   NON_COMPLIANT; PARAMETER_STORE and SECRETS_MANAGER variables only name where the secret is.
// - Variable names compare exactly (environment variables are case-sensitive).
// - A project without environment variables is COMPLIANT. The annotation never shows values.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& project) {
  (void)ctx;
  std::string found;
  for (json::Value v : project.Config().Get("environment").Get("environmentVariables").Elements()) {
    const std::string_view name = Trim(v.Get("name").String().value_or(""));
    if (name != "AWS_ACCESS_KEY_ID" && name != "AWS_SECRET_ACCESS_KEY") continue;
    const std::string type = ToLower(Trim(v.Get("type").String().value_or("PLAINTEXT")));
    if (type != "plaintext") continue;
    if (found.find(name) == std::string::npos)
      found += (found.empty() ? "" : ", ") + std::string(name);
  }
  if (!found.empty())
    return Verdict::NonCompliant("plaintext AWS credentials in environment variables: " + found);
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "CODEBUILD_PROJECT_ENVVAR_AWSCRED_CHECK",
    .resource_types = {"AWS::CodeBuild::Project"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
