// CODEPIPELINE_DEPLOYMENT_COUNT_CHECK (codepipeline-deployment-count-check): the first deployment
// stage of a CodePipeline pipeline must perform at most one deployment, and (with
// `deploymentLimit`) each later stage at most `deploymentLimit` deployments. AWS: checks whether
// the first deployment stage of the AWS CodePipeline performs more than one deployment;
// optionally checks if each of the subsequent remaining stages deploy to more than the specified
// number of deployments.
//
// Data: configuration.pipeline.stages[].actions[].actionTypeId.category of the
// AWS::CodePipeline::Pipeline CI.
//
// Choices where AWS's page is silent:
// - A deployment is an action of category "Deploy" (ignoring case); a deployment stage is a stage
//   with at least one. The first deployment stage is NON_COMPLIANT with more than one; every
//   later stage, with `deploymentLimit` given, with more than `deploymentLimit`.
// - A pipeline without any deploy action is NOT_APPLICABLE.
// - A CI without stages has no verdict.
#include <cstdint>
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& pipeline) {
  json::Value stages = pipeline.Config().Get("pipeline").Get("stages");
  if (stages.Missing()) stages = pipeline.Config().Get("stages");
  if (!stages.IsArray())
    return Verdict::MissingFact("AWS::CodePipeline::Pipeline",
                                "the configuration item has no pipeline stages");
  const std::optional<std::int64_t> limit = ctx.IntParam("deploymentLimit");
  bool first = true;
  std::string over;
  for (json::Value stage : stages.Elements()) {
    std::int64_t deploys = 0;
    for (json::Value action : stage.Get("actions").Elements())
      if (ToLower(Trim(action.Get("actionTypeId").Get("category").String().value_or(""))) ==
          "deploy")
        ++deploys;
    if (deploys == 0) continue;
    const std::string name(stage.Get("name").String().value_or("?"));
    if (first) {
      first = false;
      if (deploys > 1)
        over += "first deployment stage " + name + " performs " + std::to_string(deploys) +
                " deployments";
    } else if (limit && deploys > *limit) {
      over += (over.empty() ? "" : "; ") + std::string("stage ") + name + " performs " +
              std::to_string(deploys) + " deployments (limit " + std::to_string(*limit) + ")";
    }
  }
  if (first) return Verdict::NotApplicable("the pipeline has no deploy action");
  if (!over.empty()) return Verdict::NonCompliant(TruncateUtf8(over, 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "CODEPIPELINE_DEPLOYMENT_COUNT_CHECK",
    .resource_types = {"AWS::CodePipeline::Pipeline"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "deploymentLimit", .type = ParamType::kInt, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
