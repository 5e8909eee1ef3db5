// GUARDDUTY_ENABLED_CENTRALIZED (guardduty-enabled-centralized): Amazon GuardDuty must be enabled
// in the account and region; with CentralMonitoringAccount (a comma-separated list of 12-digit
// account IDs) its findings must also be centralized in one of those accounts. Account-level:
// evaluated against an AWS::::Account item.
//
// Logic, as AWS's original implementation of the rule (awslabs/aws-config-rules
// GUARDDUTY_ENABLED_CENTRALIZED) decides: no detector is NON_COMPLIANT ("not configured"); no
// detector with Status ENABLED is NON_COMPLIANT; an enabled detector is COMPLIANT when no
// central account is given; otherwise an enabled detector is COMPLIANT when its administrator
// (master) account is one of the listed accounts and the relationship is established, and
// NON_COMPLIANT when it has no administrator, another administrator, or the relationship is not
// established.
//
// Data: the facts guardduty-list-detectors (`aws guardduty list-detectors --region REGION`),
// guardduty-get-detector (keyed by detector ID: Status) and, only when CentralMonitoringAccount is
// given, guardduty-get-administrator-account (keyed by detector ID: Administrator.AccountId and
// RelationshipStatus; the deprecated get-master-account's "Master" is read too).
//
// Choices where AWS's page is silent:
// - The relationship is established when RelationshipStatus is "Enabled" (today's API) or
//   "Monitored" (the value the original implementation checked), ignoring case.
// - An account that is itself listed in CentralMonitoringAccount is COMPLIANT once its detector
//   is enabled: it is the central account (scenario 5 of the original specification).
// - A CentralMonitoringAccount entry that is not a 12-digit account ID makes the rule
//   NON_COMPLIANT with an annotation saying so (AWS rejects such a value).
// - A detector whose status or administrator was not collected is unknown: COMPLIANT if another
//   detector qualifies, otherwise the missing fact is reported.
#include <string>
#include <vector>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/fact_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kListDetectors = "guardduty-list-detectors";
constexpr std::string_view kGetDetector = "guardduty-get-detector";
constexpr std::string_view kGetAdministrator = "guardduty-get-administrator-account";

const model::FactKindRegistration kListDetectorsFact{{
    .name = kListDetectors,
    .command = "aws guardduty list-detectors --region REGION",
    .global = false,
    .description = "the GuardDuty detectors of the region",
}};

const model::FactKindRegistration kGetDetectorFact{{
    .name = kGetDetector,
    .command = "aws guardduty get-detector --region REGION --detector-id KEY",
    .global = false,
    .keys_from = "guardduty-list-detectors:DetectorIds[]",
    .description = "each GuardDuty detector's status (ENABLED or DISABLED)",
}};

const model::FactKindRegistration kGetAdministratorFact{{
    .name = kGetAdministrator,
    .command = "aws guardduty get-administrator-account --region REGION --detector-id KEY",
    .global = false,
    .keys_from = "guardduty-list-detectors:DetectorIds[]",
    .description = "the GuardDuty administrator account of each detector ({} when none)",
}};

bool IsAccountId(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool Listed(const std::vector<std::string_view>& list, std::string_view id) {
  for (std::string_view a : list)
    if (a == id) return true;
  return false;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  std::vector<std::string_view> central;
  for (std::string_view a : Split(ctx.Param("CentralMonitoringAccount").value_or(""), ',')) {
    a = Trim(a);
    if (a.empty()) continue;
    if (!IsAccountId(a))
      return Verdict::NonCompliant(TruncateUtf8(
          "CentralMonitoringAccount '" + std::string(a) + "' is not a 12-digit account ID", 256));
    central.push_back(a);
  }

  const json::Value list = ctx.Fact(kListDetectors, account);
  const json::Value ids = list.Get("DetectorIds");
  if (!ids.IsArray())
    return Verdict::MissingFact(std::string(kListDetectors),
                                list.Missing() ? "the GuardDuty detectors of the region were not "
                                                 "collected"
                                               : "the fact has no DetectorIds");
  if (ids.Size() == 0) return Verdict::NonCompliant("GuardDuty is not configured (no detector)");

  const json::Value details = ctx.Fact(kGetDetector, account);
  const json::Value admins = ctx.Fact(kGetAdministrator, account);
  bool enabled = false;
  std::string missing;      // the first fact found missing
  std::string other_admin;  // an administrator that is not listed
  std::string not_linked;   // a listed administrator whose relationship is not established
  for (json::Value id_value : ids.Elements()) {
    const std::string_view id = id_value.String().value_or("");
    const std::optional<std::string_view> status = details.Get(id).Get("Status").String();
    if (!status) {
      if (missing.empty()) missing = kGetDetector;
      continue;
    }
    if (ToLower(*status) != "enabled") continue;
    enabled = true;
    if (central.empty()) return Verdict::Compliant("GuardDuty is enabled");
    if (Listed(central, account.account_id))
      return Verdict::Compliant("GuardDuty is enabled in the central monitoring account");
    const json::Value answer = admins.Get(id);
    if (!answer.IsObject() || ErrorAnswerOf(answer)) {
      if (missing.empty()) missing = kGetAdministrator;
      continue;
    }
    json::Value admin = answer.Get("Administrator");
    if (admin.Missing()) admin = answer.Get("Master");
    const std::string_view admin_id = admin.Get("AccountId").String().value_or("");
    if (admin_id.empty()) continue;  // no administrator
    if (!Listed(central, admin_id)) {
      other_admin = admin_id;
      continue;
    }
    const std::string rel = ToLower(admin.Get("RelationshipStatus").String().value_or(""));
    if (rel == "enabled" || rel == "monitored")
      return Verdict::Compliant("GuardDuty is enabled and centralized in " + std::string(admin_id));
    not_linked = admin.Get("RelationshipStatus").String().value_or("none");
  }
  if (!missing.empty())
    return Verdict::MissingFact(
        missing, "a GuardDuty detector's " +
                     std::string(missing == kGetDetector ? "status" : "administrator account") +
                     " was not collected");
  if (!enabled) return Verdict::NonCompliant("GuardDuty is not enabled");
  if (!not_linked.empty())
    return Verdict::NonCompliant(TruncateUtf8(
        "GuardDuty has the expected central account, but the relationship is " + not_linked, 256));
  if (!other_admin.empty())
    return Verdict::NonCompliant(TruncateUtf8("GuardDuty is centralized in another account (" +
                                                  other_admin + ") than CentralMonitoringAccount",
                                              256));
  return Verdict::NonCompliant("GuardDuty is enabled but not centralized");
}

const ManagedRule kRule{{
    .identifier = "GUARDDUTY_ENABLED_CENTRALIZED",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "CentralMonitoringAccount",
                    .type = ParamType::kString,
                    .optional = true}},
    .evaluate = &Evaluate,
    .facts = {kListDetectors, kGetDetector, kGetAdministrator},
}};

}  // namespace
}  // namespace vigil::rules
