// CODEBUILD_PROJECT_ARTIFACT_ENCRYPTION (codebuild-project-artifact-encryption): CodeBuild
// projects must encrypt all their artifacts. AWS: NON_COMPLIANT if 'encryptionDisabled' is set to
// 'true' for any primary or secondary (if present) artifact configuration.
//
// Data: configuration.artifacts (an object, or a list as AWS Config records it) and
// configuration.secondaryArtifacts[] of the AWS::CodeBuild::Project CI.
//
// Choices where AWS's page is silent:
// - An artifact without encryptionDisabled is encrypted (CodeBuild's default); artifacts of type
//   NO_ARTIFACTS are judged like the others (they never set encryptionDisabled).
// - Secondary artifacts are named by artifactIdentifier in the annotation.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

void Check(json::Value artifact, std::string_view label, std::string& out) {
  if (!artifact.Get("encryptionDisabled").Bool().value_or(false)) return;
  out += (out.empty() ? "" : ", ") + std::string(label);
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& project) {
  (void)ctx;
  const json::Value config = project.Config();
  std::string unencrypted;
  const json::Value primary = config.Get("artifacts");
  if (primary.IsArray()) {
    for (json::Value a : primary.Elements()) Check(a, "primary", unencrypted);
  } else {
    Check(primary, "primary", unencrypted);
  }
  for (json::Value a : config.Get("secondaryArtifacts").Elements()) {
    const std::string_view id = a.Get("artifactIdentifier").String().value_or("");
    Check(a, id.empty() ? std::string_view("secondary") : id, unencrypted);
  }
  if (!unencrypted.empty())
    return Verdict::NonCompliant(
        TruncateUtf8("encryption is disabled for artifacts: " + unencrypted, 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "CODEBUILD_PROJECT_ARTIFACT_ENCRYPTION",
    .resource_types = {"AWS::CodeBuild::Project"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
