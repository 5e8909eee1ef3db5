// IAM_USER_NO_POLICIES_CHECK (iam-user-no-policies-check): IAM users must have no policy of their
// own (they inherit permissions from groups or roles); NON_COMPLIANT if a user has any managed
// policy attached or any inline policy.
//
// Both are in the CI: configuration.attachedManagedPolicies and configuration.userPolicyList.
//
// Choices where AWS's page is silent:
// - Inline policies count as "policies attached" as well as managed ones (AWS's guidance is that
//   users inherit all permissions from groups or roles). A permissions boundary does not count:
//   it grants nothing.
// - A CI without a configuration gives no verdict; absent lists are read as empty.
#include <string>

#include "common/strings.h"
#include "rules/managed/iam/iam_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& user) {
  (void)ctx;
  if (!iam::HasConfiguration(user))
    return Verdict::MissingFact("AWS::IAM::User",
                                "the CI has no configuration to read the user's policies from");
  const json::Value c = user.Config();
  std::string found;
  size_t count = 0;
  for (const json::Value p : c.Get("attachedManagedPolicies").Elements()) {
    if (!found.empty()) found += ", ";
    found += std::string(
        p.Get("policyName").String().value_or(p.Get("policyArn").String().value_or("?")));
    ++count;
  }
  for (const json::Value p : c.Get("userPolicyList").Elements()) {
    if (!found.empty()) found += ", ";
    found += std::string(p.Get("policyName").String().value_or("?")) + " (inline)";
    ++count;
  }
  if (count == 0) return Verdict::Compliant();
  return Verdict::NonCompliant(TruncateUtf8("the user has " + std::to_string(count) + " polic" +
                                                (count == 1 ? "y" : "ies") + ": " + found,
                                            256));
}

const ManagedRule kRule{{
    .identifier = "IAM_USER_NO_POLICIES_CHECK",
    .resource_types = {"AWS::IAM::User"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
