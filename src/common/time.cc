#include "common/time.h"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace vigil {
namespace {

// Days from 1970-01-01 to the given civil date (Howard Hinnant's algorithm).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void CivilFromDays(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

EpochMillis FromEpochSeconds(double seconds) {
  return static_cast<EpochMillis>(std::llround(seconds * 1000.0));
}

std::optional<EpochMillis> ParseTimestamp(std::string_view s) {
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-') {
    if (!Digits(s, 0, 4, y) || !Digits(s, 5, 2, mo) || !Digits(s, 8, 2, d)) return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
    size_t p = 10;
    std::int64_t ms = 0;
    if (p < s.size() && (s[p] == 'T' || s[p] == ' ')) {
      if (!Digits(s, p + 1, 2, h) || p + 3 >= s.size() || s[p + 3] != ':' ||
          !Digits(s, p + 4, 2, mi))
        return std::nullopt;
      p += 6;
      if (p < s.size() && s[p] == ':') {
        if (!Digits(s, p + 1, 2, sec)) return std::nullopt;
        p += 3;
      }
      if (p < s.size() && s[p] == '.') {
        ++p;
        int scale = 100;
        while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
          ms += (s[p] - '0') * scale;
          scale /= 10;
          ++p;
        }
      }
      int offset_min = 0;
      if (p < s.size()) {
        if (s[p] == 'Z' || s[p] == 'z') {
          ++p;
        } else if (s[p] == '+' || s[p] == '-') {
          const int sign = s[p] == '-' ? -1 : 1;
          int oh, om = 0;
          if (!Digits(s, p + 1, 2, oh)) return std::nullopt;
          size_t q = p + 3;
          if (q < s.size() && s[q] == ':') ++q;
          if (q < s.size() && !Digits(s, q, 2, om)) return std::nullopt;
          if (q < s.size()) q += 2;
          offset_min = sign * (oh * 60 + om);
          p = q;
        }
      }
      if (p != s.size()) return std::nullopt;
      if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
      const std::int64_t days =
          DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
      return ((days * 86400 + h * 3600 + mi * 60 + sec) - offset_min * 60) * 1000 + ms;
    }
    if (p != s.size()) return std::nullopt;
    return DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400000;
  }
  // Epoch seconds, possibly fractional.
  if (s.empty() || s.size() > 24) return std::nullopt;
  bool dot = false;
  for (char c : s) {
    if (c == '.') {
      if (dot) return std::nullopt;
      dot = true;
    } else if (c < '0' || c > '9') {
      return std::nullopt;
    }
  }
  char buf[32];
  s.copy(buf, s.size());
  buf[s.size()] = 0;
  return FromEpochSeconds(std::strtod(buf, nullptr));
}

std::string FormatIso8601(EpochMillis t) {
  std::int64_t days = t >= 0 ? t / 86400000 : (t - 86399999) / 86400000;
  std::int64_t rem = t - days * 86400000;
  int y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", y, m, d,
                static_cast<int>(rem / 3600000), static_cast<int>(rem / 60000 % 60),
                static_cast<int>(rem / 1000 % 60), static_cast<int>(rem % 1000));
  return buf;
}

std::string FormatDate(EpochMillis t) { return FormatIso8601(t).substr(0, 10); }

EpochMillis NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace vigil
