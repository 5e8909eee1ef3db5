// CLOUDTRAIL_SECURITY_TRAIL_ENABLED (cloudtrail-security-trail-enabled): at least one CloudTrail
// trail must follow the security best practices. AWS: COMPLIANT if at least one trail records
// global service events, is multi-region, has log file validation enabled, is encrypted with a
// KMS key, records events for reads and writes, records management events and does not exclude
// any management events; NON_COMPLIANT if no trail meets all of them. Account-level: evaluated
// against an AWS::::Account item.
//
// Data: the trails of the fact cloudtrail-describe-trails (IncludeGlobalServiceEvents,
// IsMultiRegionTrail, LogFileValidationEnabled, KmsKeyId, HasCustomEventSelectors) and their
// event selectors from the keyed fact cloudtrail-get-event-selectors (see cloudtrail_util.h).
//
// Choices where AWS's page is silent:
// - Whether the trail is logging is not part of AWS's list and is not checked.
// - "Records events for reads and writes" and "records management events": the selectors that
//   include management events must together cover reads and writes (one selector of type All,
//   or a ReadOnly and a WriteOnly one). Advanced selectors: eventCategory = Management, with the
//   readOnly field giving the read/write type (absent = All).
// - "Does not exclude any management events": no selector that includes management events may
//   have ExcludeManagementEventSources entries, or (advanced) filter on eventSource or any field
//   other than readOnly.
// - A trail with HasCustomEventSelectors false whose selectors were not collected has
//   CloudTrail's default selector (all management events, read and write, nothing excluded).
// - A trail whose selectors were not collected although it has custom selectors is unknown:
//   COMPLIANT if another trail qualifies, otherwise the missing fact is reported.
// - KmsKeyId must be non-empty; any key counts.
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/cloudtrail/cloudtrail_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

using cloudtrail::ManagementScope;

// Why the selectors do not meet the practices, or "" if they do.
std::string SelectorProblem(const std::vector<ManagementScope>& scopes) {
  bool reads = false;
  bool writes = false;
  bool management = false;
  for (const ManagementScope& s : scopes) {
    if (!s.include_management) continue;
    management = true;
    if (!s.exclusion.empty()) return "management events selector " + s.exclusion;
    const std::string rw = ToLower(s.read_write);
    if (rw == "all" || rw == "readonly") reads = true;
    if (rw == "all" || rw == "writeonly") writes = true;
  }
  if (!management) return "records no management events";
  if (!reads) return "records no read management events";
  if (!writes) return "records no write management events";
  return {};
}

// Why the trail's own settings do not meet the practices, or "".
std::string SettingsProblem(json::Value t) {
  std::string why;
  auto add = [&](std::string_view w) { why += (why.empty() ? "" : ", ") + std::string(w); };
  if (!t.Get("IsMultiRegionTrail").Bool().value_or(false)) add("not multi-region");
  if (!t.Get("IncludeGlobalServiceEvents").Bool().value_or(false)) add("no global service events");
  if (!t.Get("LogFileValidationEnabled").Bool().value_or(false)) add("no log file validation");
  if (Trim(t.Get("KmsKeyId").String().value_or("")).empty()) add("not encrypted with KMS");
  return why;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  using namespace cloudtrail;
  Verdict verdict;
  const auto trails = TrailsToSearch(ctx, account, &verdict);
  if (!trails) return verdict;

  const json::Value selectors = ctx.Fact(kEventSelectors, account);
  TrailSearch search;
  for (const Trail& trail : *trails) {
    std::string why = SettingsProblem(trail.raw);
    if (why.empty()) {
      const auto scopes = TrailManagementScopes(selectors, trail);
      if (!scopes) {
        search.Unknown(trail, kEventSelectors);
        continue;
      }
      why = SelectorProblem(*scopes);
    }
    if (why.empty())
      return Verdict::Compliant(
          TruncateUtf8("trail " + std::string(trail.Label()) + " follows the practices", 256));
    search.Reject(trail, why);
  }
  return search.NoneQualifies("no trail follows the practices");
}

const ManagedRule kRule{{
    .identifier = "CLOUDTRAIL_SECURITY_TRAIL_ENABLED",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {cloudtrail::kDescribeTrails, cloudtrail::kEventSelectors},
}};

}  // namespace
}  // namespace vigil::rules
