// MACIE_STATUS_CHECK (macie-status-check): Amazon Macie must be enabled in the account, per
// region. AWS: NON_COMPLIANT if the 'status' attribute is not set to 'ENABLED'. Account-level:
// evaluated against an AWS::::Account item, once per region.
//
// Data: the fact macie2-get-macie-session (`aws macie2 get-macie-session --region REGION`,
// registered here): {"status": "ENABLED" | "PAUSED", "findingPublishingFrequency": ..., ...}.
// When Macie is not enabled in the region, Macie answers AccessDeniedException ("Macie is not
// enabled"), which collect-facts records as {"Error": {"Code": "AccessDeniedException", ...}}.
//
// Choices where AWS's page is silent:
// - An AccessDeniedException answer means Macie is not enabled (NON_COMPLIANT), unless its
//   message says the caller is not authorized, which is no answer (MISSING_FACT); other error
//   codes are no answer either.
// - status is compared with ENABLED exactly; PAUSED is NON_COMPLIANT.
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kFact = "macie2-get-macie-session";

const model::FactKindRegistration kSession{{
    .name = kFact,
    .command = "aws macie2 get-macie-session --region REGION",
    .global = false,
    .answer_errors = "AccessDeniedException",
    .description = "the Amazon Macie status of the region (ENABLED or PAUSED); "
                   "AccessDeniedException when Macie is not enabled",
}};

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  const json::Value fact = ctx.Fact(kFact, account);
  if (fact.Missing() || !fact.IsObject())
    return Verdict::MissingFact(std::string(kFact),
                                "the Macie status of the region was not collected");
  if (const json::Value error = fact.Get("Error"); !error.Missing()) {
    const std::string_view code = error.Get("Code").String().value_or("");
    const std::string message = ToLower(error.Get("Message").String().value_or(""));
    if (code == "AccessDeniedException" && message.find("not authorized") == std::string::npos)
      return Verdict::NonCompliant("Macie is not enabled");
    return Verdict::MissingFact(
        std::string(kFact),
        TruncateUtf8("get-macie-session failed with '" + std::string(code) + "'", 256));
  }
  const std::string_view status = Trim(fact.Get("status").String().value_or(""));
  if (status == "ENABLED") return Verdict::Compliant("Macie is enabled");
  return Verdict::NonCompliant("Macie status is " +
                               std::string(status.empty() ? "unknown" : status));
}

const ManagedRule kRule{{
    .identifier = "MACIE_STATUS_CHECK",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {kFact},
}};

}  // namespace
}  // namespace vigil::rules
