// ECR_PRIVATE_LIFECYCLE_POLICY_CONFIGURED (ecr-private-lifecycle-policy-configured): private ECR
// repositories must have a lifecycle policy. AWS: NON_COMPLIANT if no lifecycle policy is
// configured for the ECR private repository.
//
// Data: configuration.LifecyclePolicy.LifecyclePolicyText of the AWS::ECR::Repository CI (AWS
// Config records "LifecyclePolicy": {} for a repository without one).
//
// Choices where AWS's page is silent:
// - The policy counts when LifecyclePolicyText is a non-empty string (or a non-empty decoded
//   document). An absent or empty LifecyclePolicy is NON_COMPLIANT: AWS Config records the
//   repository's lifecycle policy with it, so its absence means there is none.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

json::Value Either(json::Value obj, std::string_view a, std::string_view b) {
  json::Value v = obj.Get(a);
  return v.Missing() ? obj.Get(b) : v;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& repo) {
  (void)ctx;
  const json::Value policy = Either(repo.Config(), "LifecyclePolicy", "lifecyclePolicy");
  const json::Value text = Either(policy, "LifecyclePolicyText", "lifecyclePolicyText");
  const bool present = text.IsString() ? !Trim(*text.String()).empty()
                                       : (text.IsObject() || text.IsArray()) && !text.Empty();
  if (present) return Verdict::Compliant();
  return Verdict::NonCompliant("the repository has no lifecycle policy");
}

const ManagedRule kRule{{
    .identifier = "ECR_PRIVATE_LIFECYCLE_POLICY_CONFIGURED",
    .resource_types = {"AWS::ECR::Repository"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
