// IAM_USER_GROUP_MEMBERSHIP_CHECK (iam-user-group-membership-check): every IAM user must be a
// member of at least one IAM group, and, when `groupNames` is set, of at least one of those
// groups; NON_COMPLIANT otherwise.
//
// Membership is in the user's CI: configuration.groupList (group names), or failing that the
// CI's relationships to AWS::IAM::Group ("Is attached to Group").
//
// Choices where AWS's page is silent:
// - With groupNames, membership of any one listed group suffices ("groups in which IAM users
//   must be members" read as a set of acceptable groups). Names compare exactly (IAM group names
//   are case-insensitively unique but kept as created; AWS says nothing about case).
// - A CI without a configuration gives no verdict.
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/iam/iam_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& user) {
  if (!iam::HasConfiguration(user))
    return Verdict::MissingFact("AWS::IAM::User",
                                "the CI has no configuration to read group membership from");
  std::vector<std::string_view> groups;
  const json::Value list = user.Config().Get("groupList");
  if (list.IsArray()) {
    for (const json::Value g : list.Elements())
      if (auto name = g.String()) groups.push_back(*name);
  } else {
    for (const json::Value r : user.relationships.Elements())
      if (r.Get("resourceType").String() == "AWS::IAM::Group")
        groups.push_back(r.Get("resourceName").String().value_or(""));
  }
  if (groups.empty()) return Verdict::NonCompliant("the user is in no IAM group");

  const std::vector<std::string_view> wanted = ctx.CsvParam("groupNames");
  if (wanted.empty()) return Verdict::Compliant();
  for (std::string_view g : groups)
    for (std::string_view w : wanted)
      if (g == w) return Verdict::Compliant("member of " + std::string(g));
  std::string have;
  for (std::string_view g : groups) {
    if (!have.empty()) have += ", ";
    have += std::string(g);
  }
  return Verdict::NonCompliant(TruncateUtf8(
      "the user is in none of the groups in groupNames (member of: " + have + ")", 256));
}

const ManagedRule kRule{{
    .identifier = "IAM_USER_GROUP_MEMBERSHIP_CHECK",
    .resource_types = {"AWS::IAM::User"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "groupNames", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
