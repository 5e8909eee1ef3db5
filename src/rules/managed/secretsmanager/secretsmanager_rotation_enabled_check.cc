// SECRETSMANAGER_ROTATION_ENABLED_CHECK (secretsmanager-rotation-enabled-check): Secrets Manager
// secrets must have rotation enabled, optionally at least as often as a maximum interval. AWS:
// NON_COMPLIANT if the secret is not scheduled for rotation, or if its rotation frequency is
// higher than `maximumAllowedRotationFrequency` (days) or `maximumAllowedRotationFrequencyInHours`
// (hours).
//
// Data: configuration.RotationEnabled and configuration.RotationRules (AutomaticallyAfterDays,
// AutomaticallyAfterHours, ScheduleExpression) of the AWS::SecretsManager::Secret CI.
//
// Choices where AWS's page is silent:
// - "Frequency" is the interval between rotations; it is too high when it exceeds the maximum.
//   When both parameters are given, both must hold.
// - The interval comes from ScheduleExpression rate(N hours|days), else AutomaticallyAfterDays,
//   else AutomaticallyAfterHours, else a cron() ScheduleExpression, whose interval is bounded from
//   above: by the largest gap between the months it names (31 days a month) when the month field
//   is restricted, else between the days of the month (or weekdays) it names, else between the
//   hours it names (24 hours for a single hour); 'L', 'W' and '#' count as monthly.
// - A secret with rotation enabled but no rotation rules vigil can read gives no verdict when a
//   maximum is set (missing data), and is COMPLIANT otherwise.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

json::Value Member(json::Value obj, std::string_view pascal) {
  json::Value v = obj.Get(pascal);
  if (!v.Missing()) return v;
  std::string camel(pascal);
  camel[0] = static_cast<char>(camel[0] - 'A' + 'a');
  return obj.Get(camel);
}

std::optional<std::int64_t> ToInt(std::string_view s) {
  s = Trim(s);
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// A cron field value: a number, or a month/weekday name.
std::optional<int> FieldValue(std::string_view s, int base) {
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  static constexpr std::string_view kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  if (auto n = ToInt(s)) return static_cast<int>(*n);
  const std::string l = ToLower(Trim(s));
  for (int i = 0; i < 12; ++i)
    if (l == kMonths[i]) return i + 1;
  for (int i = 0; i < 7; ++i)
    if (l == kDays[i]) return i + base;  // AWS cron: SUN is 1
  return std::nullopt;
}

// The largest circular gap, in units, between the values a cron field selects out of `period`
// values starting at `base`; nullopt if the field selects everything ('*' or '?'), or if it
// cannot be read.
std::optional<int> MaxGap(std::string_view field, int base, int period, bool* unreadable) {
  field = Trim(field);
  if (field == "*" || field == "?") return std::nullopt;
  std::vector<int> values;
  for (std::string_view part : Split(field, ',')) {
    int step = 1;
    if (size_t slash = part.find('/'); slash != std::string_view::npos) {
      auto s = ToInt(part.substr(slash + 1));
      if (!s || *s <= 0) return *unreadable = true, std::nullopt;
      step = static_cast<int>(*s);
      part = part.substr(0, slash);
    }
    int lo, hi;
    if (Trim(part) == "*") {
      lo = base;
      hi = base + period - 1;
    } else if (size_t dash = part.find('-'); dash != std::string_view::npos) {
      auto a = FieldValue(part.substr(0, dash), base), b = FieldValue(part.substr(dash + 1), base);
      if (!a || !b) return *unreadable = true, std::nullopt;
      lo = *a;
      hi = *b;
    } else {
      auto a = FieldValue(part, base);
      if (!a) return *unreadable = true, std::nullopt;
      lo = *a;
      hi = step > 1 ? base + period - 1 : *a;
    }
    for (int v = lo; v <= hi; v += step) values.push_back(v);
  }
  if (values.empty()) return *unreadable = true, std::nullopt;
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  int gap = values.front() + period - values.back();
  for (size_t i = 1; i < values.size(); ++i) gap = std::max(gap, values[i] - values[i - 1]);
  return gap;
}

// An upper bound of the hours between two firings of an AWS cron expression
// ("cron(min hour day-of-month month day-of-week year)").
std::optional<std::int64_t> CronIntervalHours(std::string_view expr) {
  std::vector<std::string_view> f;
  for (std::string_view p : Split(expr, ' '))
    if (!Trim(p).empty()) f.push_back(Trim(p));
  if (f.size() < 5) return std::nullopt;
  bool unreadable = false;
  auto special = [](std::string_view s) {
    return s.find_first_of("LW#") != std::string_view::npos;
  };
  if (auto months = MaxGap(f[3], 1, 12, &unreadable)) return *months * 31 * 24;
  if (unreadable) return std::nullopt;
  if (special(f[2]) || special(f[4])) return 31 * 24;
  if (auto days = MaxGap(f[2], 1, 31, &unreadable)) return *days * 24;
  if (unreadable) return std::nullopt;
  if (auto weekdays = MaxGap(f[4], 1, 7, &unreadable)) return *weekdays * 24;
  if (unreadable) return std::nullopt;
  if (auto hours = MaxGap(f[1], 0, 24, &unreadable)) return *hours;
  if (unreadable) return std::nullopt;
  return 1;  // every hour
}

// The rotation interval in hours, and how it was read (for annotations).
std::optional<std::int64_t> IntervalHours(json::Value rules, std::string* how) {
  const std::string expr(Trim(Member(rules, "ScheduleExpression").String().value_or("")));
  const std::string lower = ToLower(expr);
  if (StartsWith(lower, "rate(") && EndsWith(lower, ")")) {
    const std::string body = lower.substr(5, lower.size() - 6);
    const size_t sp = body.find(' ');
    if (auto n = ToInt(body.substr(0, sp)); n && sp != std::string::npos) {
      const std::string_view unit = Trim(std::string_view(body).substr(sp + 1));
      *how = expr;
      if (StartsWith(unit, "hour")) return *n;
      if (StartsWith(unit, "day")) return *n * 24;
    }
  }
  if (auto days = Member(rules, "AutomaticallyAfterDays").Int()) {
    *how = "every " + std::to_string(*days) + " days";
    return *days * 24;
  }
  if (auto hours = Member(rules, "AutomaticallyAfterHours").Int()) {
    *how = "every " + std::to_string(*hours) + " hours";
    return *hours;
  }
  if (StartsWith(lower, "cron(") && EndsWith(lower, ")")) {
    *how = expr;
    return CronIntervalHours(std::string_view(expr).substr(5, expr.size() - 6));
  }
  return std::nullopt;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& secret) {
  const json::Value config = secret.Config();
  if (!Member(config, "RotationEnabled").Bool().value_or(false))
    return Verdict::NonCompliant("rotation is not enabled");
  const std::optional<std::int64_t> max_days = ctx.IntParam("maximumAllowedRotationFrequency");
  const std::optional<std::int64_t> max_hours =
      ctx.IntParam("maximumAllowedRotationFrequencyInHours");
  if (!max_days && !max_hours) return Verdict::Compliant();
  std::string how;
  const std::optional<std::int64_t> interval = IntervalHours(Member(config, "RotationRules"), &how);
  if (!interval)
    return Verdict::MissingFact(
        "AWS::SecretsManager::Secret",
        TruncateUtf8("the rotation interval cannot be read from RotationRules" +
                         (how.empty() ? std::string() : " (" + how + ")"),
                     256));
  if (max_days && *interval > *max_days * 24)
    return Verdict::NonCompliant(TruncateUtf8("the secret rotates " + how +
                                                  ", less often than every " +
                                                  std::to_string(*max_days) + " days",
                                              256));
  if (max_hours && *interval > *max_hours)
    return Verdict::NonCompliant(TruncateUtf8("the secret rotates " + how +
                                                  ", less often than every " +
                                                  std::to_string(*max_hours) + " hours",
                                              256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "SECRETSMANAGER_ROTATION_ENABLED_CHECK",
    .resource_types = {"AWS::SecretsManager::Secret"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "maximumAllowedRotationFrequencyInHours",
                    .type = ParamType::kInt,
                    .optional = true},
                   {.name = "maximumAllowedRotationFrequency",
                    .type = ParamType::kInt,
                    .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
