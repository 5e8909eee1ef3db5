// ACM_CERTIFICATE_EXPIRATION_CHECK (acm-certificate-expiration-check): an ACM certificate must not
// expire within `daysToExpiration` days (default 14). AWS: NON_COMPLIANT if the certificate is
// about to expire.
//
// The expiry is the CI's configuration.notAfter (ISO 8601 as AWS Config writes dates, epoch
// seconds or milliseconds as a number, or the "Feb 21, 2022 6:36:34 PM" form some CIs use).
//
// Choices where AWS's page is silent:
// - "Now" is the evaluation time (RuleContext::Now, the run's start), as in AWS's periodic
//   evaluation: a certificate recorded long ago is judged against today, not against its
//   capture time.
// - NON_COMPLIANT when notAfter - now <= daysToExpiration days (an expired certificate is
//   NON_COMPLIANT too); COMPLIANT otherwise.
// - A certificate without notAfter (PENDING_VALIDATION, FAILED, VALIDATION_TIMED_OUT: it was
//   never issued) is NOT_APPLICABLE. An unreadable notAfter gives NOT_APPLICABLE too, saying so.
#include <cstdio>
#include <optional>
#include <string>

#include "common/strings.h"
#include "common/time.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::int64_t kDayMillis = 86400000;

// "Feb 21, 2022 6:36:34 PM" (UTC), the Java default date format some AWS Config CIs use.
std::optional<EpochMillis> ParseJavaDate(std::string_view s) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() < 20) return std::nullopt;
  int month = 0;
  for (int i = 0; i < 12; ++i)
    if (s.substr(0, 3) == kMonths[i]) month = i + 1;
  if (month == 0) return std::nullopt;
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  char ampm[3] = {};
  const std::string text(s.substr(3));
  if (std::sscanf(text.c_str(), " %d, %d %d:%d:%d %2s", &day, &year, &hour, &minute, &second,
                  ampm) != 6)
    return std::nullopt;
  const std::string half = ToLower(ampm);
  if (hour < 1 || hour > 12 || (half != "am" && half != "pm")) return std::nullopt;
  hour = hour % 12 + (half == "pm" ? 12 : 0);
  char iso[32];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, hour, minute,
                second);
  return ParseTimestamp(iso);
}

std::optional<EpochMillis> ParseDate(const json::Value& v) {
  if (auto n = v.Number()) {
    // Epoch milliseconds (AWS Config's numeric dates) or seconds (the CLI's).
    return *n > 1e11 ? static_cast<EpochMillis>(*n) : FromEpochSeconds(*n);
  }
  const std::string_view s = Trim(v.String().value_or(""));
  if (s.empty()) return std::nullopt;
  if (auto t = ParseTimestamp(s)) return t;
  return ParseJavaDate(s);
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& cert) {
  const json::Value not_after = cert.Config().Get("notAfter");
  const std::string status(cert.Config().Get("status").String().value_or("unknown"));
  if (not_after.Empty())
    return Verdict::NotApplicable("the certificate has no expiry date (status " + status + ")");
  const auto expiry = ParseDate(not_after);
  if (!expiry)
    return Verdict::NotApplicable(TruncateUtf8("unreadable notAfter: " + not_after.AsText(), 256));
  const std::int64_t days = ctx.IntParam("daysToExpiration").value_or(14);
  const EpochMillis now = ctx.Now();
  const std::string date = FormatIso8601(*expiry);
  if (*expiry <= now) return Verdict::NonCompliant("the certificate expired on " + date);
  if (*expiry - now <= days * kDayMillis)
    return Verdict::NonCompliant("the certificate expires on " + date + ", within " +
                                 std::to_string(days) + " days");
  return Verdict::Compliant("expires on " + date);
}

const ManagedRule kRule{{
    .identifier = "ACM_CERTIFICATE_EXPIRATION_CHECK",
    .resource_types = {"AWS::ACM::Certificate"},
    .trigger = Trigger::kBoth,
    .parameters = {{.name = "daysToExpiration",
                    .type = ParamType::kInt,
                    .default_value = "14",
                    .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
