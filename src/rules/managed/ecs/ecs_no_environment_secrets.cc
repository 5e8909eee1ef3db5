// ECS_NO_ENVIRONMENT_SECRETS (ecs-no-environment-secrets): secrets must not be passed as plain
// container environment variables. AWS: NON_COMPLIANT if one or more environment variable key
// matches a key listed in `secretKeys` (excluding environment variables from other locations
// such as Amazon S3); the rule "only evaluates the latest active revision of an Amazon ECS task
// definition".
//
// Data: configuration.ContainerDefinitions[].Environment[].Name of the AWS::ECS::TaskDefinition
// CI. EnvironmentFiles (files in S3) and Secrets (values from Secrets Manager or Parameter Store)
// are not environment variables of the definition and are not inspected.
//
// Choices where AWS's page is silent:
// - Keys compare exactly, case-sensitively (environment variable names are case-sensitive);
//   spaces around each `secretKeys` entry are removed, as AWS documents.
// - A revision that is not ACTIVE, or older than an ACTIVE revision of the same family recorded
//   in the account and region, is NOT_APPLICABLE (ecs::OutsideLatestActiveRevision).
#include <algorithm>
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/ecs/ecs_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& td) {
  Verdict verdict;
  const std::optional<json::Value> containers = ecs::LatestActiveContainers(ctx, td, &verdict);
  if (!containers) return verdict;
  const std::vector<std::string_view> keys = ctx.CsvParam("secretKeys");
  ecs::ContainerList found(4, ", ");
  size_t i = 0;
  for (json::Value c : containers->Elements()) {
    for (json::Value var : PascalOrCamel(c, "Environment").Elements()) {
      const std::string_view name = PascalOrCamel(var, "Name").String().value_or("");
      if (name.empty() || std::find(keys.begin(), keys.end(), name) == keys.end()) continue;
      found.Add(std::string(name) + " in " + ecs::ContainerLabel(c, i));
    }
    ++i;
  }
  if (found.count() > 0)
    return Verdict::NonCompliant(
        TruncateUtf8("secret key(s) passed as environment variables: " + found.Text(), 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "ECS_NO_ENVIRONMENT_SECRETS",
    .resource_types = {"AWS::ECS::TaskDefinition"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "secretKeys", .type = ParamType::kCsv, .optional = false}},
    .evaluate = &Evaluate,
    .context_types = {"AWS::ECS::TaskDefinition"},
}};

}  // namespace
}  // namespace vigil::rules
