// IAM_CUSTOMER_POLICY_BLOCKED_KMS_ACTIONS (iam-customer-policy-blocked-kms-actions): a customer
// managed policy must not allow any action matching `blockedActionsPatterns` (e.g.
// "kms:Decrypt,kms:ReEncryptFrom") on all KMS keys; NON_COMPLIANT if it does. AWS managed
// policies are NOT_APPLICABLE (AWS evaluates only the managed policies "that you create").
//
// The document is the CI's default policy version (configuration.policyVersionList[] with
// isDefaultVersion true), URL-encoded as AWS Config records it. Conditions are not evaluated
// (AWS says so).
//
// excludePermissionBoundaryPolicy: when true, a policy used only as a permissions boundary
// (permissionsBoundaryUsageCount > 0, attachmentCount 0) is NOT_APPLICABLE.
//
// Choices where AWS's page is silent:
// - An action is allowed when an Allow statement's Action pattern and a blocked pattern can match
//   the same action ("kms:*" allows "kms:Decrypt"; "kms:Decrypt" is caught by "kms:*"), or when
//   an Allow statement's NotAction list does not exclude the whole blocked pattern. Action names
//   compare ignoring case.
// - "All KMS keys" means a Resource entry matching every key ARN of the partition in any region
//   and account ("*", "arn:aws:kms:*:*:*", "arn:aws:kms:*:*:key/*"), or a NotResource list that
//   excludes no key. A pattern limited to one account or region
//   ("arn:aws:kms:*:111122223333:key/*") is not all keys.
// - Deny statements are not subtracted from Allow statements.
// - Only the default version is evaluated; excludePermissionBoundaryPolicy leaves a policy that
//   is both attached and used as a boundary in scope.
#include <string>

#include "common/strings.h"
#include "rules/managed/iam/iam_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& policy) {
  Verdict skip;
  const auto customer = iam::CustomerPolicyInScope(ctx, policy, &skip);
  if (!customer) return skip;
  const std::string why = iam::BlockedKmsActionAllowed(
      customer->document, ctx.CsvParam("blockedActionsPatterns"), iam::ArnPartition(customer->arn));
  if (!why.empty()) return Verdict::NonCompliant(TruncateUtf8(why, 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "IAM_CUSTOMER_POLICY_BLOCKED_KMS_ACTIONS",
    .resource_types = {"AWS::IAM::Policy"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "blockedActionsPatterns", .type = ParamType::kCsv, .optional = false},
                   iam::kExcludePermissionBoundaryPolicy},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
