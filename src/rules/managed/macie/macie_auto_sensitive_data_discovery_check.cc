// MACIE_AUTO_SENSITIVE_DATA_DISCOVERY_CHECK (macie-auto-sensitive-data-discovery-check):
// automated sensitive data discovery must be enabled for Amazon Macie. AWS: NON_COMPLIANT if it
// is disabled; the rule applies to administrator accounts and is NOT_APPLICABLE for member
// accounts. Account-level: evaluated against an AWS::::Account item, once per region.
//
// Data (regional facts, registered here; Macie answers AccessDeniedException when it is not
// enabled in the region, which collect-facts records as an answer):
// - macie2-get-automated-discovery-configuration: `aws macie2
//   get-automated-discovery-configuration --region REGION` ({"status": "ENABLED" | "DISABLED",
//   ...});
// - macie2-get-administrator-account: `aws macie2 get-administrator-account --region REGION`
//   ({"administrator": {"accountId": ..., "relationshipStatus": "Enabled", ...}}, {} when the
//   account has no Macie administrator).
//
// Choices where AWS's page is silent:
// - A member account is one whose administrator (another account) has relationshipStatus
//   Enabled or Paused (or no status); other relationships (Removed, Resigned, Invited, ...) do
//   not make it a member. A standalone account (no administrator) is evaluated like an
//   administrator.
// - Macie not enabled in the region (AccessDeniedException answers) means automated discovery
//   is not enabled: NON_COMPLIANT. An AccessDeniedException whose message says the caller is
//   not authorized, or another error code, is no answer (MISSING_FACT).
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/managed/macie/macie_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kDiscovery = "macie2-get-automated-discovery-configuration";
constexpr std::string_view kAdministrator = "macie2-get-administrator-account";

const model::FactKindRegistration kDiscoveryFact{{
    .name = kDiscovery,
    .command = "aws macie2 get-automated-discovery-configuration --region REGION",
    .global = false,
    .answer_errors = "AccessDeniedException",
    .description = "whether Macie's automated sensitive data discovery is ENABLED or DISABLED; "
                   "AccessDeniedException when Macie is not enabled",
}};

const model::FactKindRegistration kAdministratorFact{{
    .name = kAdministrator,
    .command = "aws macie2 get-administrator-account --region REGION",
    .global = false,
    .answer_errors = "AccessDeniedException",
    .description = "the account's Macie administrator account ({} when none); "
                   "AccessDeniedException when Macie is not enabled",
}};

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  Verdict missing;
  const auto admin =
      macie::ReadMacieFact(ctx.Fact(kAdministrator, account), kAdministrator,
                           "the Macie administrator of the account was not collected", &missing);
  if (!admin) return missing;
  if (!admin->error) {
    const json::Value a = admin->value.Get("administrator");
    const std::string_view id = Trim(a.Get("accountId").String().value_or(""));
    const std::string status = ToLower(Trim(a.Get("relationshipStatus").String().value_or("")));
    if (!id.empty() && id != account.account_id &&
        (status.empty() || status == "enabled" || status == "paused"))
      return Verdict::NotApplicable("the account is a Macie member of administrator " +
                                    std::string(id));
  }

  const auto config =
      macie::ReadMacieFact(ctx.Fact(kDiscovery, account), kDiscovery,
                           "the automated discovery configuration was not collected", &missing);
  if (!config) return missing;
  if (config->error) return Verdict::NonCompliant("Macie is not enabled");
  const std::string_view status = Trim(config->value.Get("status").String().value_or(""));
  if (status == "ENABLED")
    return Verdict::Compliant("automated sensitive data discovery is enabled");
  return Verdict::NonCompliant("automated sensitive data discovery is " +
                               std::string(status.empty() ? "not enabled" : status));
}

const ManagedRule kRule{{
    .identifier = "MACIE_AUTO_SENSITIVE_DATA_DISCOVERY_CHECK",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {kDiscovery, kAdministrator},
}};

}  // namespace
}  // namespace vigil::rules
