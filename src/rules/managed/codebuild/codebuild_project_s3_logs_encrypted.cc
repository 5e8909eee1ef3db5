// CODEBUILD_PROJECT_S3_LOGS_ENCRYPTED (codebuild-project-s3-logs-encrypted): CodeBuild projects
// that write logs to Amazon S3 must encrypt them. AWS: NON_COMPLIANT if 'encryptionDisabled' is
// set to 'true' in a S3LogsConfig of a CodeBuild project; `exemptedProjects` lists project names
// allowed to output unencrypted logs.
//
// Data: configuration.logsConfig.s3Logs (status, encryptionDisabled) and configuration.name of
// the AWS::CodeBuild::Project CI.
//
// Choices where AWS's page is silent:
// - A project whose S3 logs are not ENABLED (status DISABLED or no s3Logs) is NOT_APPLICABLE:
//   AWS checks projects "configured with Amazon S3 Logs".
// - An exempted project is COMPLIANT (it is "allowed to output unencrypted logs"), as in
//   CODEBUILD_PROJECT_ENVIRONMENT_PRIVILEGED_CHECK. Project names compare exactly.
// - S3 logs without encryptionDisabled are encrypted (CodeBuild's default).
#include <string>

#include "common/strings.h"
#include "rules/managed/codebuild/codebuild_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& project) {
  const json::Value s3 = project.Config().Get("logsConfig").Get("s3Logs");
  const std::string status = ToLower(Trim(s3.Get("status").String().value_or("")));
  if (status != "enabled") return Verdict::NotApplicable("S3 logs are not enabled");
  const bool disabled = s3.Get("encryptionDisabled").Bool().value_or(false);
  if (codebuild::Exempted(ctx, project))
    return Verdict::Compliant(disabled ? "S3 logs are not encrypted; the project is exempted" : "");
  if (disabled) return Verdict::NonCompliant("S3 logs are not encrypted (encryptionDisabled)");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "CODEBUILD_PROJECT_S3_LOGS_ENCRYPTED",
    .resource_types = {"AWS::CodeBuild::Project"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "exemptedProjects", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
