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
#include "rules/managed/macie/macie_util.h"
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
  Verdict missing;
  const auto session =
      macie::ReadMacieFact(ctx.Fact(kFact, account), kFact,
                           "the Macie status of the region was not collected", &missing);
  if (!session) return missing;
  if (session->error) return Verdict::NonCompliant("Macie is not enabled");
  const std::string_view status = Trim(session->value.Get("status").String().value_or(""));
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
