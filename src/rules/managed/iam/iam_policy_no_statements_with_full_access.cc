// IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS (iam-policy-no-statements-with-full-access): a
// customer managed policy must not allow all actions of any AWS service ("ec2:*"); NON_COMPLIANT
// if it does. Prefixed wildcards such as "ec2:Describe*" are COMPLIANT. AWS managed policies are
// NOT_APPLICABLE (AWS evaluates only customer managed policies).
//
// The document is the CI's default policy version (configuration.policyVersionList[] with
// isDefaultVersion true), URL-encoded as AWS Config records it.
//
// excludePermissionBoundaryPolicy: when true, a policy used only as a permissions boundary
// (permissionsBoundaryUsageCount > 0, attachmentCount 0) is NOT_APPLICABLE.
//
// Choices where AWS's page is silent:
// - Full access is an Allow statement with an Action whose part after the service prefix is an
//   unrestricted wildcard ("s3:*", also "*" and "*:*", which allow every service). An Allow
//   statement with NotAction allows every action of every service it does not name, so it counts
//   unless a NotAction entry excludes everything ("*").
// - Resource is not considered ("all actions on individual AWS resources" is still full access),
//   nor is Condition.
// - Only the default version is evaluated; excludePermissionBoundaryPolicy leaves a policy that
//   is both attached and used as a boundary in scope.
#include <string>

#include "common/strings.h"
#include "rules/managed/iam/iam_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

// "s3:*", "*", "*:*": the action part (after the first ':') matches every action name.
bool FullServiceAction(std::string_view action) {
  action = Trim(action);
  const size_t colon = action.find(':');
  const std::string_view name = colon == std::string_view::npos ? action : action.substr(colon + 1);
  return iam::PatternCovers(name, "*", true);
}

// Why the statement grants full access to some service, or "".
std::string FullAccess(const iam::PolicyStatement& s) {
  if (!s.Allow()) return {};
  if (s.has_action) {
    for (const auto& a : s.actions)
      if (FullServiceAction(a)) return "allows \"" + std::string(Trim(a)) + "\"";
    return {};
  }
  if (s.has_not_action) {
    for (const auto& a : s.not_actions)
      if (iam::PatternCovers(Trim(a), "*:*", true)) return {};
    return "allows every action except its NotAction list";
  }
  return {};
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& policy) {
  Verdict skip;
  const auto customer = iam::CustomerPolicyInScope(ctx, policy, &skip);
  if (!customer) return skip;
  for (const auto& s : customer->document.statements)
    if (std::string why = FullAccess(s); !why.empty())
      return Verdict::NonCompliant(TruncateUtf8("statement " + s.label + " " + why, 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS",
    .resource_types = {"AWS::IAM::Policy"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {iam::kExcludePermissionBoundaryPolicy},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
