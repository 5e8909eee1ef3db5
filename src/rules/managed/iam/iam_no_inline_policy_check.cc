// IAM_NO_INLINE_POLICY_CHECK (iam-no-inline-policy-check): IAM users, roles and groups must have
// no inline policy; NON_COMPLIANT if the resource has any.
//
// The inline policies are in the CI: configuration.userPolicyList, rolePolicyList or
// groupPolicyList (one entry per inline policy, with its policyName).
//
// Choices where AWS's page is silent:
// - Every role is checked, service-linked roles included (AWS names no exemption).
// - A CI without a configuration gives no verdict; a configuration without the list is read as
//   "no inline policy" (AWS Config records the list, possibly empty, whenever it records the
//   resource's properties).
#include <string>

#include "common/strings.h"
#include "rules/managed/iam/iam_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  (void)ctx;
  if (!iam::HasConfiguration(item))
    return Verdict::MissingFact(std::string(item.resource_type),
                                "the CI has no configuration to read inline policies from");
  const std::string_view key = iam::InlinePolicyListKey(item.resource_type);
  const json::Value list = item.Config().Get(key);
  if (list.Size() == 0) return Verdict::Compliant();
  std::string names;
  for (const json::Value p : list.Elements()) {
    if (!names.empty()) names += ", ";
    names += std::string(p.Get("policyName").String().value_or("?"));
  }
  return Verdict::NonCompliant(TruncateUtf8(std::to_string(list.Size()) + " inline polic" +
                                                (list.Size() == 1 ? "y" : "ies") + ": " + names,
                                            256));
}

const ManagedRule kRule{{
    .identifier = "IAM_NO_INLINE_POLICY_CHECK",
    .resource_types = {"AWS::IAM::Group", "AWS::IAM::Role", "AWS::IAM::User"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
