// BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK (backup-recovery-point-minimum-retention-check): an
// AWS Backup recovery point must not expire before requiredRetentionDays (default 35) after its
// creation; it is NON_COMPLIANT when its retention is shorter.
//
// Data: configuration.Lifecycle.DeleteAfterDays, else configuration.CalculatedLifecycle.DeleteAt
// minus configuration.CreationDate.
//
// Choices where AWS's page is silent:
// - A recovery point without a deletion date (no Lifecycle.DeleteAfterDays and no
//   CalculatedLifecycle.DeleteAt) is kept until deleted by hand: COMPLIANT.
// - A retention of exactly requiredRetentionDays is COMPLIANT.
// - Dates may be ISO 8601 text or epoch numbers (seconds, or milliseconds above 10^11). A
//   DeleteAt without a readable CreationDate gives no verdict: MissingFact.
#include <cstdint>
#include <optional>
#include <string>

#include "common/time.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::int64_t kDayMillis = 24LL * 3600 * 1000;

std::optional<EpochMillis> Timestamp(json::Value v) {
  if (auto n = v.Number()) {
    if (*n > 1e11) return static_cast<EpochMillis>(*n);
    return FromEpochSeconds(*n);
  }
  if (auto s = v.String()) return ParseTimestamp(*s);
  return std::nullopt;
}

std::string Days(double d) {
  std::string s = std::to_string(d);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& point) {
  const std::int64_t required = ctx.IntParam("requiredRetentionDays").value_or(35);
  const json::Value config = point.Config();
  if (auto days = config.Get("Lifecycle").Get("DeleteAfterDays").Number()) {
    if (*days < static_cast<double>(required))
      return Verdict::NonCompliant("the recovery point is deleted after " + Days(*days) +
                                   " days, less than " + std::to_string(required));
    return Verdict::Compliant();
  }
  const json::Value delete_at = config.Get("CalculatedLifecycle").Get("DeleteAt");
  if (delete_at.Missing() || delete_at.IsNull())
    return Verdict::Compliant("the recovery point has no deletion date");
  const std::optional<EpochMillis> end = Timestamp(delete_at);
  const std::optional<EpochMillis> start = Timestamp(config.Get("CreationDate"));
  if (!end || !start)
    return Verdict::MissingFact("AWS::Backup::RecoveryPoint",
                                "the recovery point's CreationDate or DeleteAt cannot be read");
  if (*end - *start < required * kDayMillis)
    return Verdict::NonCompliant("the recovery point is deleted " +
                                 Days(static_cast<double>(*end - *start) / kDayMillis) +
                                 " days after creation, less than " + std::to_string(required));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
    .resource_types = {"AWS::Backup::RecoveryPoint"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "requiredRetentionDays",
                    .type = ParamType::kInt,
                    .default_value = "35",
                    .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
