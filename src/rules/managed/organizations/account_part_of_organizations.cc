// ACCOUNT_PART_OF_ORGANIZATIONS (account-part-of-organizations): the account must be part of AWS
// Organizations: NON_COMPLIANT if it is not, or if the organization's management (master) account
// ID differs from the parameter MasterAccountId. Account-level: evaluated against an
// AWS::::Account item.
//
// Data: the global fact organizations-describe-organization (`aws organizations
// describe-organization`). An account outside any organization gets the error
// AWSOrganizationsNotInUseException, which collect-facts records as the answer
// {"Error": {"Code": "AWSOrganizationsNotInUseException", ...}}.
//
// Choices where AWS's page is silent:
// - MasterAccountId is trimmed and compared exactly with Organization.MasterAccountId; an empty
//   parameter is no constraint.
// - Any other error answer (e.g. AccessDeniedException) is no answer: the fact is reported
//   missing.
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/fact_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kFact = "organizations-describe-organization";

const model::FactKindRegistration kDescribeOrganization{{
    .name = kFact,
    .command = "aws organizations describe-organization",
    .global = true,
    .answer_errors = "AWSOrganizationsNotInUseException",
    .description = "the organization the account belongs to; AWSOrganizationsNotInUseException "
                   "when none",
}};

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  Verdict missing;
  const auto answer = ReadFactAnswer(ctx.Fact(kFact, account), kFact,
                                     "the account's organization was not collected", &missing);
  if (!answer) return missing;
  if (answer->error) return Verdict::NonCompliant("the account is not part of AWS Organizations");
  const json::Value org = answer->value.Get("Organization");
  if (!org.IsObject())
    return Verdict::MissingFact(std::string(kFact), "the fact has no Organization");
  const std::string_view master = org.Get("MasterAccountId").String().value_or("");
  const std::string_view wanted = Trim(ctx.Param("MasterAccountId").value_or(""));
  if (!wanted.empty() && wanted != master)
    return Verdict::NonCompliant(
        TruncateUtf8("the organization's management account is " +
                         (master.empty() ? std::string("unknown") : std::string(master)) +
                         ", not " + std::string(wanted),
                     256));
  return Verdict::Compliant(TruncateUtf8(
      "member of organization " + std::string(org.Get("Id").String().value_or("")), 256));
}

const ManagedRule kRule{{
    .identifier = "ACCOUNT_PART_OF_ORGANIZATIONS",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "MasterAccountId", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
    .facts = {kFact},
}};

}  // namespace
}  // namespace vigil::rules
