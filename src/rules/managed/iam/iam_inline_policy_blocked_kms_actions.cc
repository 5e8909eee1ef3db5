// IAM_INLINE_POLICY_BLOCKED_KMS_ACTIONS (iam-inline-policy-blocked-kms-actions): no inline policy
// of an IAM user, role or group may allow an action matching `blockedActionsPatterns` (e.g.
// "kms:Decrypt,kms:ReEncryptFrom") on all KMS keys; NON_COMPLIANT if one does.
//
// The inline policies are in the CI (configuration.userPolicyList, rolePolicyList or
// groupPolicyList[].policyDocument, URL-encoded). The analysis is the one of
// IAM_CUSTOMER_POLICY_BLOCKED_KMS_ACTIONS (iam::BlockedKmsActionAllowed).
//
// excludeRoleByManagementAccount: when true, a role that only the organization's management
// account can assume is NOT_APPLICABLE. The role's trust policy (configuration.
// assumeRolePolicyDocument) is in the CI; the management account comes from the fact
// "organizations-describe-organization" (`aws organizations describe-organization`,
// Organization.MasterAccountId; AWSOrganizationsNotInUseException means no organization, so no
// role is excluded).
//
// Choices where AWS's page is silent:
// - Matching is as in IAM_CUSTOMER_POLICY_BLOCKED_KMS_ACTIONS: a blocked pattern is allowed when
//   an Allow statement's Action overlaps it (or its NotAction does not exclude all of it) on a
//   Resource covering every key ARN of the partition in any region and account, or a NotResource
//   excluding no key. Conditions are not evaluated; Deny statements are not subtracted.
// - A resource without inline policies is COMPLIANT.
// - "Only assumable by the management account": every Allow statement of the trust policy names
//   only AWS principals, all in one account (the account ID or any ARN in it), and that account
//   is the organization's management account. A service, federated or "*" principal keeps the
//   role in scope. The fact is read only for roles that pass that test.
// - An inline policy that cannot be decoded gives no verdict.
#include <set>
#include <string>

#include "common/strings.h"
#include "rules/managed/iam/iam_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

// Registered by ACCOUNT_PART_OF_ORGANIZATIONS (organizations/account_part_of_organizations.cc).
constexpr std::string_view kOrgFact = "organizations-describe-organization";

bool IsAccountId(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// The single account that the role's trust policy lets assume it, or "" when other principals
// (services, federated identities, "*", several accounts) can.
std::string SoleTrustedAccount(const iam::PolicyDocument& trust) {
  std::set<std::string> accounts;
  for (const auto& s : trust.statements) {
    if (!s.Allow()) continue;
    if (!s.has_principal || s.other_principals) return {};
    for (const auto& p : s.aws_principals) {
      const std::string_view v = Trim(p);
      const std::string_view account = IsAccountId(v) ? v : iam::ArnAccount(v);
      if (!IsAccountId(account)) return {};
      accounts.emplace(account);
    }
  }
  return accounts.size() == 1 ? *accounts.begin() : std::string();
}

// NOT_APPLICABLE or MissingFact when the role is to be excluded or the exclusion cannot be
// decided; nullopt when the role is evaluated.
std::optional<Verdict> ManagementAccountExclusion(const RuleContext& ctx,
                                                  const model::ConfigurationItem& role) {
  std::string error;
  const auto trust =
      iam::ParsePolicyDocument(role.Config().Get("assumeRolePolicyDocument"), &error);
  if (!trust)
    return Verdict::MissingFact("AWS::IAM::Role",
                                "excludeRoleByManagementAccount is true and "
                                "the trust policy cannot be read: " +
                                    error);
  const std::string account = SoleTrustedAccount(*trust);
  if (account.empty()) return std::nullopt;
  const json::Value org = ctx.Fact(kOrgFact, role);
  if (org.Get("Error").Get("Code").String() == "AWSOrganizationsNotInUseException")
    return std::nullopt;
  const auto management = org.Get("Organization").Get("MasterAccountId").String();
  if (!management)
    return Verdict::MissingFact(std::string(kOrgFact),
                                "excludeRoleByManagementAccount is true and the role trusts only "
                                "account " +
                                    account + "; the organization's management account is unknown");
  if (*management == account)
    return Verdict::NotApplicable("the role is assumable only by the management account " +
                                  account);
  return std::nullopt;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  if (!iam::HasConfiguration(item))
    return Verdict::MissingFact(std::string(item.resource_type),
                                "the CI has no configuration to read inline policies from");
  if (item.resource_type == "AWS::IAM::Role" &&
      ctx.BoolParam("excludeRoleByManagementAccount") == true) {
    if (auto excluded = ManagementAccountExclusion(ctx, item)) return *excluded;
  }
  const std::vector<std::string_view> blocked = ctx.CsvParam("blockedActionsPatterns");
  const std::string_view arn =
      !item.arn.empty() ? item.arn : item.Config().Get("arn").String().value_or("");
  const auto policies = iam::InlinePolicies(item);
  for (const auto& p : policies) {
    if (!p.document)
      return Verdict::MissingFact(std::string(item.resource_type),
                                  TruncateUtf8("inline policy " + p.name + ": " + p.error, 256));
    const std::string why =
        iam::BlockedKmsActionAllowed(*p.document, blocked, iam::ArnPartition(arn));
    if (!why.empty())
      return Verdict::NonCompliant(TruncateUtf8("inline policy " + p.name + ": " + why, 256));
  }
  if (policies.empty()) return Verdict::Compliant("no inline policy");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "IAM_INLINE_POLICY_BLOCKED_KMS_ACTIONS",
    .resource_types = {"AWS::IAM::Group", "AWS::IAM::Role", "AWS::IAM::User"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "blockedActionsPatterns", .type = ParamType::kCsv, .optional = false},
                   {.name = "excludeRoleByManagementAccount",
                    .type = ParamType::kBoolean,
                    .optional = true}},
    .evaluate = &Evaluate,
    .facts = {kOrgFact},
}};

}  // namespace
}  // namespace vigil::rules
