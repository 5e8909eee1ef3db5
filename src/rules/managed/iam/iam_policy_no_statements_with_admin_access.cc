// IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS (iam-policy-no-statements-with-admin-access): a
// customer managed policy must have no statement with "Effect": "Allow", "Action": "*" and
// "Resource": "*"; NON_COMPLIANT if it has one. AWS managed policies are NOT_APPLICABLE (AWS
// evaluates only customer managed policies; AWS Config does not record AWS managed ones anyway).
//
// The document is the CI's default policy version (configuration.policyVersionList[] with
// isDefaultVersion true), URL-encoded as AWS Config records it.
//
// excludePermissionBoundaryPolicy: when true, a policy used only as a permissions boundary
// (permissionsBoundaryUsageCount > 0, attachmentCount 0) is NOT_APPLICABLE.
//
// Choices where AWS's page is silent:
// - Only the default version is evaluated: it is the one that grants permissions.
// - "Action": "*" also matches an action written "*:*" (any pattern matching every
//   "service:action"), and action lists that contain such an entry. Resource must include "*"
//   itself. NotAction and NotResource statements are not "Action": "*" / "Resource": "*" and do
//   not count; Condition is ignored (AWS's test is on Effect, Action and Resource only).
// - excludePermissionBoundaryPolicy leaves a policy that is both attached and used as a boundary
//   in scope (it still grants permissions); AWS's older wording is "used only as a permission
//   boundary".
#include <string>

#include "common/strings.h"
#include "rules/managed/iam/iam_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

bool AdminStatement(const iam::PolicyStatement& s) {
  if (!s.Allow() || !s.has_action || !s.has_resource) return false;
  bool all_actions = false;
  for (const auto& a : s.actions)
    if (iam::PatternCovers(Trim(a), "*:*", true)) all_actions = true;
  if (!all_actions) return false;
  for (const auto& r : s.resources)
    if (iam::PatternCovers(Trim(r), "*", false)) return true;
  return false;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& policy) {
  Verdict skip;
  const auto customer = iam::CustomerPolicyInScope(ctx, policy, &skip);
  if (!customer) return skip;
  for (const auto& s : customer->document.statements)
    if (AdminStatement(s))
      return Verdict::NonCompliant(
          TruncateUtf8("statement " + s.label + " allows Action \"*\" on Resource \"*\"", 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS",
    .resource_types = {"AWS::IAM::Policy"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {iam::kExcludePermissionBoundaryPolicy},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
