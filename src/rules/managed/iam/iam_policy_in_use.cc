// IAM_POLICY_IN_USE (iam-policy-in-use): the managed policy `policyARN` must be attached to an IAM
// user, to a group with at least one user, or to a role with at least one trusted entity;
// `policyUsageType` (IAM_USER, IAM_GROUP, IAM_ROLE or ANY, default ANY) says which of these
// counts. NON_COMPLIANT otherwise. Account-level: evaluated once per account against an
// AWS::::Account item.
//
// Attachments are read from the recorded AWS::IAM::User, AWS::IAM::Group and AWS::IAM::Role items
// of the account (configuration.attachedManagedPolicies[].policyArn), which also name AWS managed
// policies (the usual policyARN, e.g. arn:aws:iam::aws:policy/AWSSupportAccess, has no
// AWS::IAM::Policy item). A group's users are its "Contains User" relationships (or users whose
// groupList names it); a role's trusted entities are the principals of its trust policy
// (configuration.assumeRolePolicyDocument). A recorded AWS::IAM::Policy item for policyARN with
// attachmentCount 0 decides NON_COMPLIANT on its own. When a type the verdict needs was not
// recorded in the account, there is no verdict.
//
// vigil evaluates account-level rules where their first fact was collected; this rule reads no
// fact, and declares iam-get-account-summary (collected with every IAM fact set) so that it is
// evaluated in each account with IAM facts.
//
// Choices where AWS's page is silent:
// - policyARN compares exactly with the recorded ARNs.
// - policyUsageType compares ignoring case; another value gives NOT_APPLICABLE (AWS documents
//   only those four).
// - A role has a trusted entity when an Allow statement of its trust policy names a principal.
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/iam/iam_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kUser = "AWS::IAM::User";
constexpr std::string_view kGroup = "AWS::IAM::Group";
constexpr std::string_view kRole = "AWS::IAM::Role";
constexpr std::string_view kPolicy = "AWS::IAM::Policy";

bool Attached(const model::ConfigurationItem& ci, std::string_view policy_arn) {
  for (const json::Value p : ci.Config().Get("attachedManagedPolicies").Elements())
    if (p.Get("policyArn").String() == policy_arn) return true;
  return false;
}

std::string_view Name(const model::ConfigurationItem& ci, std::string_view key) {
  std::string_view name = ci.Config().Get(key).String().value_or("");
  return name.empty() ? ci.resource_name : name;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  const std::string policy_arn(Trim(ctx.Param("policyARN").value_or("")));
  const std::string usage = ToLower(Trim(ctx.Param("policyUsageType").value_or("ANY")));
  const bool any = usage == "any" || usage.empty();
  const bool want_user = any || usage == "iam_user";
  const bool want_group = any || usage == "iam_group";
  const bool want_role = any || usage == "iam_role";
  if (!want_user && !want_group && !want_role)
    return Verdict::NotApplicable(
        TruncateUtf8("policyUsageType '" + std::string(ctx.Param("policyUsageType").value_or("")) +
                         "' is not IAM_USER, IAM_GROUP, IAM_ROLE or ANY",
                     256));

  const std::string_view acct = account.account_id;
  // A recorded customer managed policy that is attached nowhere.
  bool policy_known = false;
  for (const auto* p : ctx.env().Items(kPolicy, acct, "", &policy_known)) {
    const std::string_view arn =
        !p->arn.empty() ? p->arn : p->Config().Get("arn").String().value_or("");
    if (arn == policy_arn && p->Config().Get("attachmentCount").Int() == 0)
      return Verdict::NonCompliant("the policy is not attached to any user, group or role");
  }

  std::string unknown;  // a needed type that was not recorded
  bool users_known = false;
  const auto users = ctx.env().Items(kUser, acct, "", &users_known);
  if (want_user) {
    if (!users_known) unknown = kUser;
    for (const auto* u : users)
      if (Attached(*u, policy_arn))
        return Verdict::Compliant(
            TruncateUtf8("attached to user " + std::string(Name(*u, "userName")), 256));
  }
  if (want_group) {
    bool known = false;
    const auto groups = ctx.env().Items(kGroup, acct, "", &known);
    if (!known && unknown.empty()) unknown = kGroup;
    for (const auto* g : groups) {
      if (!Attached(*g, policy_arn)) continue;
      bool has_user = false;
      for (const json::Value r : g->relationships.Elements())
        if (r.Get("resourceType").String() == kUser) has_user = true;
      const std::string_view group_name = Name(*g, "groupName");
      for (const auto* u : users) {
        if (has_user) break;
        for (const json::Value n : u->Config().Get("groupList").Elements())
          if (n.String() == group_name) has_user = true;
      }
      if (has_user)
        return Verdict::Compliant(TruncateUtf8(
            "attached to group " + std::string(group_name) + ", which has users", 256));
    }
  }
  if (want_role) {
    bool known = false;
    const auto roles = ctx.env().Items(kRole, acct, "", &known);
    if (!known && unknown.empty()) unknown = kRole;
    for (const auto* r : roles) {
      if (!Attached(*r, policy_arn)) continue;
      const auto trust = iam::ParsePolicyDocument(r->Config().Get("assumeRolePolicyDocument"));
      if (!trust) {
        if (unknown.empty()) unknown = kRole;
        continue;
      }
      for (const auto& s : trust->statements)
        if (s.Allow() && s.has_principal)
          return Verdict::Compliant(
              TruncateUtf8("attached to role " + std::string(Name(*r, "roleName")), 256));
    }
  }
  if (!unknown.empty())
    return Verdict::MissingFact(unknown, unknown +
                                             " items were not recorded (or a role's trust "
                                             "policy is unreadable) in this account");
  return Verdict::NonCompliant(
      TruncateUtf8("the policy is not in use (policyUsageType " +
                       std::string(ctx.Param("policyUsageType").value_or("ANY")) + ")",
                   256));
}

const ManagedRule kRule{{
    .identifier = "IAM_POLICY_IN_USE",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "policyARN", .type = ParamType::kString, .optional = false},
                   {.name = "policyUsageType", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
    .facts = {"iam-get-account-summary"},
    .context_types = {kUser, kGroup, kRole, kPolicy},
}};

}  // namespace
}  // namespace vigil::rules
