// CODEBUILD_PROJECT_SOURCE_REPO_URL_CHECK (codebuild-project-source-repo-url-check): the GitHub
// or Bitbucket source repository URLs of CodeBuild projects must not carry personal access
// tokens or sign-in credentials. AWS: checks if the GitHub or Bitbucket source repository URL
// contains either personal access tokens or sign-in credentials; COMPLIANT with the usage of
// OAuth to grant authorization.
//
// Data: configuration.source (a list as AWS Config records it, or an object) and
// configuration.secondarySources[] (type, location) of the AWS::CodeBuild::Project CI.
//
// Choices where AWS's page is silent:
// - Sources of type GITHUB, GITHUB_ENTERPRISE and BITBUCKET are checked. A URL carries
//   credentials or a token when its authority (between "://" and the next '/') contains
//   user information ("https://user:password@bitbucket.org/...", "https://TOKEN@github.com/...").
// - A project without such a source is NOT_APPLICABLE.
// - The annotation names the source, never the URL (it would repeat the secret).
#include <string>
#include <utility>
#include <vector>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

bool HasUserInfo(std::string_view url) {
  url = Trim(url);
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return false;
  std::string_view authority = url.substr(scheme + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  return authority.find('@') != std::string_view::npos;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& project) {
  (void)ctx;
  const json::Value config = project.Config();
  std::vector<std::pair<json::Value, std::string>> sources;
  const json::Value primary = config.Get("source");
  if (primary.IsArray()) {
    for (json::Value s : primary.Elements()) sources.emplace_back(s, "the primary source");
  } else if (primary.IsObject()) {
    sources.emplace_back(primary, "the primary source");
  }
  for (json::Value s : config.Get("secondarySources").Elements()) {
    const std::string_view id = s.Get("sourceIdentifier").String().value_or("");
    sources.emplace_back(s, "secondary source " + std::string(id.empty() ? "?" : id));
  }
  bool any = false;
  std::string leaking;
  for (const auto& [source, label] : sources) {
    const std::string type = ToLower(Trim(source.Get("type").String().value_or("")));
    if (type != "github" && type != "github_enterprise" && type != "bitbucket") continue;
    any = true;
    if (HasUserInfo(source.Get("location").String().value_or("")))
      leaking += (leaking.empty() ? "" : ", ") + label;
  }
  if (!any) return Verdict::NotApplicable("the project has no GitHub or Bitbucket source");
  if (!leaking.empty())
    return Verdict::NonCompliant(TruncateUtf8(
        "the repository URL of " + leaking + " contains sign-in credentials or a token", 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "CODEBUILD_PROJECT_SOURCE_REPO_URL_CHECK",
    .resource_types = {"AWS::CodeBuild::Project"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
