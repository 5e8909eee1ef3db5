// IAM_GROUP_HAS_USERS_CHECK (iam-group-has-users-check): every IAM group must have at least one
// IAM user; NON_COMPLIANT if it has none.
//
// Membership is in the group's CI: AWS Config records each member as a relationship to an
// AWS::IAM::User named "Contains User".
//
// Choices where AWS's page is silent:
// - Any relationship to an AWS::IAM::User counts as a member (AWS Config names it
//   "Contains User").
#include <string>

#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& group) {
  (void)ctx;
  size_t users = 0;
  for (const json::Value r : group.relationships.Elements())
    if (r.Get("resourceType").String() == "AWS::IAM::User") ++users;
  if (users == 0) return Verdict::NonCompliant("the group has no users");
  return Verdict::Compliant(std::to_string(users) + " user(s)");
}

const ManagedRule kRule{{
    .identifier = "IAM_GROUP_HAS_USERS_CHECK",
    .resource_types = {"AWS::IAM::Group"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
