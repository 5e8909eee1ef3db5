// BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK
// (backup-plan-min-frequency-and-min-retention-check): a backup plan must have a backup rule that
// creates recovery points at least every requiredFrequencyValue requiredFrequencyUnit (default 1
// day) and keeps them at least requiredRetentionDays (default 35). NON_COMPLIANT when no rule does
// both.
//
// Data: configuration.BackupPlan.BackupPlanRule (AWS Config's spelling; the API's
// BackupPlan.Rules is read too), each with ScheduleExpression and Lifecycle.DeleteAfterDays.
//
// A rule's frequency is the longest gap between two consecutive runs of its schedule: cron(...)
// expressions (AWS's six fields: minutes hours day-of-month month day-of-week year, with
// , - * ? / L W #) are run over four years (2024-2027, minute by minute), and rate(N unit) runs
// every N minutes/hours/days. A rule meets the frequency when that gap is at most
// requiredFrequencyValue hours (or days).
//
// Choices where AWS's page is silent:
// - Frequency and retention must be met by one and the same rule.
// - A rule without Lifecycle.DeleteAfterDays keeps its recovery points until deleted by hand,
//   which meets any retention; exactly requiredRetentionDays meets it.
// - A rule without a ScheduleExpression, or with one that cannot be read, meets no frequency.
// - The cron year field is not used (the schedule's frequency while it runs), nor the schedule's
//   time zone (gaps are measured in UTC, without daylight-saving shifts).
// - requiredFrequencyUnit is matched case-insensitively ("hours"/"hour", "days"/"day"). A value
//   AWS does not accept (another unit, a frequency below 1 or above 24 hours / 31 days, a negative
//   retention) is not something the rule can check: the plan is NOT_APPLICABLE with an annotation
//   naming the bad parameter.
#include <algorithm>
#include <array>
#include <bitset>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

// ---- Cron --------------------------------------------------------------------------------

// One day-of-month or day-of-week element that is not a plain value set.
struct Special {
  enum Kind { kLastDay, kLastWeekdayOfMonth, kNearestWeekday, kNthWeekday, kLastGivenWeekday };
  Kind kind;
  int a = 0;  // the day (kNearestWeekday) or the weekday 1-7 (kNthWeekday, kLastGivenWeekday)
  int b = 0;  // which occurrence (kNthWeekday)
};

struct Field {
  std::bitset<64> values;
  bool any = false;  // "?": no constraint
  std::vector<Special> specials;
};

std::optional<int> ParseValue(std::string_view s, int lo, int hi,
                              const std::array<std::string_view, 12>* names) {
  s = Trim(s);
  if (s.empty()) return std::nullopt;
  if (names) {
    const std::string up = ToLower(s);
    for (size_t i = 0; i < names->size(); ++i)
      if (!(*names)[i].empty() && up == (*names)[i]) return lo + static_cast<int>(i);
  }
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9' || v > 1000) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v < lo || v > hi) return std::nullopt;
  return v;
}

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 12> kWeekdays = {"sun", "mon", "tue", "wed", "thu", "fri",
                                                        "sat", "",    "",    "",    "",    ""};

enum class FieldKind { kMinute, kHour, kDayOfMonth, kMonth, kDayOfWeek, kYear };

std::optional<Field> ParseField(std::string_view text, FieldKind kind) {
  int lo = 0;
  int hi = 59;
  const std::array<std::string_view, 12>* names = nullptr;
  switch (kind) {
    case FieldKind::kMinute:
      break;
    case FieldKind::kHour:
      hi = 23;
      break;
    case FieldKind::kDayOfMonth:
      lo = 1;
      hi = 31;
      break;
    case FieldKind::kMonth:
      lo = 1;
      hi = 12;
      names = &kMonths;
      break;
    case FieldKind::kDayOfWeek:
      lo = 1;
      hi = 7;
      names = &kWeekdays;
      break;
    case FieldKind::kYear:
      return Field{.values = {}, .any = true, .specials = {}};  // not used (see the top comment)
  }
  Field f;
  for (std::string_view element : Split(text, ',')) {
    element = Trim(element);
    const std::string low = ToLower(element);
    if (element == "?") {
      if (kind != FieldKind::kDayOfMonth && kind != FieldKind::kDayOfWeek) return std::nullopt;
      f.any = true;
      continue;
    }
    if (kind == FieldKind::kDayOfMonth) {
      if (low == "l") {
        f.specials.push_back({Special::kLastDay});
        continue;
      }
      if (low == "lw") {
        f.specials.push_back({Special::kLastWeekdayOfMonth});
        continue;
      }
      if (low.size() > 1 && low.back() == 'w') {
        auto day = ParseValue(std::string_view(low).substr(0, low.size() - 1), 1, 31, nullptr);
        if (!day) return std::nullopt;
        f.specials.push_back({Special::kNearestWeekday, *day});
        continue;
      }
    }
    if (kind == FieldKind::kDayOfWeek) {
      if (low == "l") {
        f.values.set(7);  // the last day of the week: Saturday
        continue;
      }
      if (const size_t hash = low.find('#'); hash != std::string::npos) {
        auto day = ParseValue(std::string_view(low).substr(0, hash), 1, 7, names);
        auto nth = ParseValue(std::string_view(low).substr(hash + 1), 1, 5, nullptr);
        if (!day || !nth) return std::nullopt;
        f.specials.push_back({Special::kNthWeekday, *day, *nth});
        continue;
      }
      if (low.size() > 1 && low.back() == 'l') {
        auto day = ParseValue(std::string_view(low).substr(0, low.size() - 1), 1, 7, names);
        if (!day) return std::nullopt;
        f.specials.push_back({Special::kLastGivenWeekday, *day});
        continue;
      }
    }
    // [*|a|a-b][/step]
    std::string_view range = low;
    int step = 1;
    if (const size_t slash = range.find('/'); slash != std::string_view::npos) {
      auto s = ParseValue(range.substr(slash + 1), 1, 1000, nullptr);
      if (!s) return std::nullopt;
      step = *s;
      range = range.substr(0, slash);
    }
    int first = lo;
    int last = hi;
    if (range != "*") {
      const size_t dash = range.find('-');
      auto a = ParseValue(range.substr(0, dash), lo, hi, names);
      if (!a) return std::nullopt;
      first = *a;
      if (dash != std::string_view::npos) {
        auto b = ParseValue(range.substr(dash + 1), lo, hi, names);
        if (!b) return std::nullopt;
        last = *b;
      } else {
        last = step > 1 ? hi : first;  // "a/step" runs to the end of the range
      }
    }
    // Ranges may wrap (FRI-MON, 22-2).
    const int span = last >= first ? last - first : (hi - first) + (last - lo) + 1;
    for (int i = 0; i <= span; i += step) {
      int v = first + i;
      if (v > hi) v -= hi - lo + 1;
      f.values.set(static_cast<size_t>(v));
    }
  }
  return f;
}

struct Civil {
  int year, month, day;
};

// Days since 1970-01-01 to a calendar date (Howard Hinnant's algorithm).
Civil CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const auto y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0));
  return {y, static_cast<int>(m), static_cast<int>(d)};
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// AWS's day-of-week numbering: 1 = Sunday ... 7 = Saturday.
int Weekday(std::int64_t days_since_epoch) {
  return static_cast<int>(((days_since_epoch % 7) + 7 + 4) % 7) + 1;  // 1970-01-01: Thursday
}

bool SpecialMatches(const Special& s, const Civil& c, int weekday) {
  const int dim = DaysInMonth(c.year, c.month);
  switch (s.kind) {
    case Special::kLastDay:
      return c.day == dim;
    case Special::kLastWeekdayOfMonth: {
      // The last Monday-Friday of the month.
      const int wd_of_last = ((weekday - 1) + (dim - c.day)) % 7 + 1;
      int target = dim;
      if (wd_of_last == 7)
        target = dim - 1;  // Saturday -> Friday
      else if (wd_of_last == 1)
        target = dim - 2;  // Sunday -> Friday
      return c.day == target;
    }
    case Special::kNearestWeekday: {
      if (s.a > dim) return false;
      const int wd_of_a = ((weekday - 1) + ((s.a - c.day) % 7 + 7)) % 7 + 1;
      int target = s.a;
      if (wd_of_a == 7)
        target = s.a == 1 ? 3 : s.a - 1;  // Saturday
      else if (wd_of_a == 1)
        target = s.a == dim ? s.a - 2 : s.a + 1;  // Sunday
      return c.day == target;
    }
    case Special::kNthWeekday:
      return weekday == s.a && (c.day - 1) / 7 + 1 == s.b;
    case Special::kLastGivenWeekday:
      return weekday == s.a && c.day + 7 > dim;
  }
  return false;
}

bool FieldMatchesDay(const Field& f, const Civil& c, int weekday, bool day_of_week) {
  if (f.any) return true;
  if (f.values.test(static_cast<size_t>(day_of_week ? weekday : c.day))) return true;
  return std::any_of(f.specials.begin(), f.specials.end(),
                     [&](const Special& s) { return SpecialMatches(s, c, weekday); });
}

// The longest gap, in minutes, between consecutive runs of a cron expression's six fields;
// kNever when it runs fewer than twice in the window; nullopt if it cannot be read.
std::optional<std::int64_t> CronMaxGap(std::string_view body) {
  std::vector<std::string_view> parts;
  for (std::string_view p : Split(Trim(body), ' '))
    if (!Trim(p).empty()) parts.push_back(Trim(p));
  if (parts.size() != 6 && parts.size() != 5) return std::nullopt;
  const auto minutes = ParseField(parts[0], FieldKind::kMinute);
  const auto hours = ParseField(parts[1], FieldKind::kHour);
  const auto dom = ParseField(parts[2], FieldKind::kDayOfMonth);
  const auto month = ParseField(parts[3], FieldKind::kMonth);
  const auto dow = ParseField(parts[4], FieldKind::kDayOfWeek);
  if (!minutes || !hours || !dom || !month || !dow) return std::nullopt;
  std::vector<int> times;
  for (int h = 0; h < 24; ++h)
    if (hours->values.test(static_cast<size_t>(h)))
      for (int m = 0; m < 60; ++m)
        if (minutes->values.test(static_cast<size_t>(m))) times.push_back(h * 60 + m);
  if (times.empty()) return kNever;
  constexpr std::int64_t kStart = 19723;  // 2024-01-01
  constexpr std::int64_t kDays = 4 * 365 + 1;
  std::optional<std::int64_t> previous;
  std::int64_t gap = 0;
  for (std::int64_t d = kStart; d < kStart + kDays; ++d) {
    const Civil c = CivilFromDays(d);
    const int wd = Weekday(d);
    if (!month->values.test(static_cast<size_t>(c.month))) continue;
    if (!FieldMatchesDay(*dom, c, wd, false) || !FieldMatchesDay(*dow, c, wd, true)) continue;
    for (int t : times) {
      const std::int64_t at = (d - kStart) * 1440 + t;
      if (previous) gap = std::max(gap, at - *previous);
      previous = at;
    }
  }
  if (gap == 0) return kNever;
  return gap;
}

// The longest gap between runs of a ScheduleExpression, in minutes.
std::optional<std::int64_t> MaxGapMinutes(std::string_view expression) {
  expression = Trim(expression);
  const std::string low = ToLower(expression);
  if (!EndsWith(low, ")")) return std::nullopt;
  if (StartsWith(low, "cron(")) return CronMaxGap(expression.substr(5, expression.size() - 6));
  if (StartsWith(low, "rate(")) {
    const std::string_view body = Trim(std::string_view(low).substr(5, low.size() - 6));
    const size_t space = body.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    auto n = ParseValue(body.substr(0, space), 1, 1000, nullptr);
    const std::string_view unit = Trim(body.substr(space + 1));
    if (!n) return std::nullopt;
    if (unit == "minute" || unit == "minutes") return *n;
    if (unit == "hour" || unit == "hours") return *n * 60;
    if (unit == "day" || unit == "days") return *n * 1440;
  }
  return std::nullopt;
}

std::string Duration(std::int64_t minutes) {
  if (minutes == kNever) return "less than twice in four years";
  if (minutes % 1440 == 0) return "every " + std::to_string(minutes / 1440) + " day(s)";
  if (minutes % 60 == 0) return "every " + std::to_string(minutes / 60) + " hour(s)";
  return "every " + std::to_string(minutes) + " minute(s)";
}

// ---- Rule --------------------------------------------------------------------------------

json::Value BackupRules(json::Value config) {
  const json::Value plan = config.Get("BackupPlan");
  for (json::Value v : {plan.Get("BackupPlanRule"), plan.Get("Rules"), config.Get("Rules")})
    if (v.IsArray()) return v;
  return {};
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& plan) {
  const std::int64_t value = ctx.IntParam("requiredFrequencyValue").value_or(1);
  const std::int64_t retention = ctx.IntParam("requiredRetentionDays").value_or(35);
  const std::string unit_text(Trim(ctx.Param("requiredFrequencyUnit").value_or("days")));
  const std::string unit = ToLower(unit_text);
  const bool hours = unit == "hours" || unit == "hour";
  if (!hours && unit != "days" && unit != "day")
    return Verdict::NotApplicable("requiredFrequencyUnit '" + unit_text +
                                  "' is neither 'hours' nor 'days'");
  if (value < 1 || value > (hours ? 24 : 31))
    return Verdict::NotApplicable("requiredFrequencyValue " + std::to_string(value) +
                                  " is outside 1.." + (hours ? "24 hours" : "31 days"));
  if (retention < 0)
    return Verdict::NotApplicable("requiredRetentionDays " + std::to_string(retention) +
                                  " is negative");
  const std::int64_t required_gap = value * (hours ? 60 : 1440);

  const json::Value rules = BackupRules(plan.Config());
  if (rules.Size() == 0) return Verdict::NonCompliant("the backup plan has no backup rule");
  std::string why;
  for (json::Value rule : rules.Elements()) {
    std::string name(rule.Get("RuleName").String().value_or(""));
    if (name.empty()) name = "unnamed rule";
    std::string fail;
    const std::optional<std::string_view> schedule = rule.Get("ScheduleExpression").String();
    const std::optional<std::int64_t> gap =
        schedule ? MaxGapMinutes(*schedule) : std::optional<std::int64_t>();
    if (!schedule) {
      fail = "no schedule";
    } else if (!gap) {
      fail = "unreadable schedule '" + std::string(*schedule) + "'";
    } else if (*gap > required_gap) {
      fail = "runs " + Duration(*gap);
    }
    if (auto days = rule.Get("Lifecycle").Get("DeleteAfterDays").Number();
        days && *days < static_cast<double>(retention))
      fail += (fail.empty() ? "" : ", ") + std::string("keeps recovery points ") +
              std::to_string(static_cast<std::int64_t>(*days)) + " days";
    if (fail.empty()) return Verdict::Compliant("backup rule '" + name + "' meets both");
    why += (why.empty() ? "" : "; ") + name + ": " + fail;
  }
  return Verdict::NonCompliant(TruncateUtf8(
      "no backup rule runs at least every " + std::to_string(value) + " " + unit_text +
          " and keeps recovery points " + std::to_string(retention) + " days (" + why + ")",
      256));
}

const ManagedRule kRule{{
    .identifier = "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
    .resource_types = {"AWS::Backup::BackupPlan"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "requiredFrequencyValue",
                    .type = ParamType::kInt,
                    .default_value = "1",
                    .optional = true},
                   {.name = "requiredRetentionDays",
                    .type = ParamType::kInt,
                    .default_value = "35",
                    .optional = true},
                   {.name = "requiredFrequencyUnit",
                    .type = ParamType::kString,
                    .default_value = "days",
                    .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
