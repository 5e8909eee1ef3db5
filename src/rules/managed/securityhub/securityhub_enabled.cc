// SECURITYHUB_ENABLED (securityhub-enabled): AWS Security Hub must be enabled for the account:
// NON_COMPLIANT if it is not. Security Hub is enabled per region, so the answer is the
// region's. Account-level: evaluated against an AWS::::Account item.
//
// Data: the fact securityhub-describe-hub (`aws securityhub describe-hub --region REGION`). An
// account not subscribed to Security Hub gets the error InvalidAccessException, which
// collect-facts records as the answer {"Error": {"Code": "InvalidAccessException", ...}}; this is
// also how AWS's own implementation (awslabs rdklib SECURITYHUB_ENABLED) decides.
//
// Choices where AWS's page is silent:
// - Any other error answer (e.g. AccessDeniedException) is no answer: the fact is reported
//   missing. A successful answer counts as enabled whatever its fields.
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/fact_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kFact = "securityhub-describe-hub";

const model::FactKindRegistration kDescribeHub{{
    .name = kFact,
    .command = "aws securityhub describe-hub --region REGION",
    .global = false,
    .answer_errors = "InvalidAccessException",
    .description = "the Security Hub hub of the region; InvalidAccessException when the account "
                   "is not subscribed",
}};

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  Verdict missing;
  const auto hub =
      ReadFactAnswer(ctx.Fact(kFact, account), kFact,
                     "the Security Hub status of the region was not collected", &missing);
  if (!hub) return missing;
  if (hub->error) return Verdict::NonCompliant("Security Hub is not enabled");
  return Verdict::Compliant(
      TruncateUtf8("Security Hub is enabled (" +
                       std::string(hub->value.Get("HubArn").String().value_or("")) + ")",
                   256));
}

const ManagedRule kRule{{
    .identifier = "SECURITYHUB_ENABLED",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {kFact},
}};

}  // namespace
}  // namespace vigil::rules
