// SECURITY_ACCOUNT_INFORMATION_PROVIDED (security-account-information-provided): the account must
// have security contact information. AWS: NON_COMPLIANT if security contact information within
// the account is not provided. Account-level: evaluated against an AWS::::Account item.
//
// Data: the global fact account-get-alternate-contact (`aws account get-alternate-contact
// --alternate-contact-type SECURITY`, registered here): {"AlternateContact":
// {"AlternateContactType": "SECURITY", "EmailAddress": ..., "Name": ..., "PhoneNumber": ...,
// "Title": ...}}. An account without a security contact gets ResourceNotFoundException, which
// collect-facts records as {"Error": {"Code": "ResourceNotFoundException", ...}}. A file keyed by
// contact type ({"SECURITY": <CLI output>}) is accepted too.
//
// Choices where AWS's page is silent:
// - A security contact counts as provided when it has an email address (the Account API requires
//   email, name, phone number and title together, so a recorded contact has all four).
// - Error codes other than ResourceNotFoundException are no answer (MISSING_FACT).
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/fact_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kFact = "account-get-alternate-contact";

const model::FactKindRegistration kAlternateContact{{
    .name = kFact,
    .command = "aws account get-alternate-contact --alternate-contact-type SECURITY",
    .global = true,
    .answer_errors = "ResourceNotFoundException",
    .description = "the account's security alternate contact; ResourceNotFoundException when "
                   "none is set",
}};

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  json::Value fact = ctx.Fact(kFact, account);
  if (fact.Get("AlternateContact").Missing() && fact.Get("Error").Missing() &&
      fact.Get("SECURITY").IsObject())
    fact = fact.Get("SECURITY");
  Verdict missing;
  const auto answer =
      ReadFactAnswer(fact, kFact, "the account's security contact was not collected", &missing);
  if (!answer) return missing;
  if (answer->error) return Verdict::NonCompliant("no security contact is set for the account");
  const json::Value contact = answer->value.Get("AlternateContact");
  if (!contact.IsObject())
    return Verdict::MissingFact(std::string(kFact), "the fact has no AlternateContact");
  const std::string_view email = Trim(contact.Get("EmailAddress").String().value_or(""));
  if (email.empty()) return Verdict::NonCompliant("the security contact has no email address");
  return Verdict::Compliant("a security contact is set");
}

const ManagedRule kRule{{
    .identifier = "SECURITY_ACCOUNT_INFORMATION_PROVIDED",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {kFact},
}};

}  // namespace
}  // namespace vigil::rules
