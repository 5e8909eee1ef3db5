#include "guard/regex_syntax.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>
#include <vector>

namespace vigil::guard {

std::optional<std::string> CheckRegexSyntax(std::string_view pattern) {
  // Rewrite fancy-regex's extensions into plain groups RE2 understands, and check back-references
  // point at a group opened before them (fancy-regex rejects `\1(a)`).
  std::string plain;
  plain.reserve(pattern.size() + 8);
  int groups = 0;
  bool in_class = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      const char n = pattern[i + 1];
      if (!in_class && n >= '1' && n <= '9') {
        size_t j = i + 1;
        int ref = 0;
        while (j < pattern.size() && std::isdigit(static_cast<unsigned char>(pattern[j])) &&
               ref < 100000)
          ref = ref * 10 + (pattern[j++] - '0');
        if (ref > groups) return "invalid back reference \\" + std::to_string(ref);
        plain += "(?:)";
        i = j - 1;
        continue;
      }
      if (!in_class && n == 'k' && i + 2 < pattern.size() && pattern[i + 2] == '<') {
        const size_t close = pattern.find('>', i + 3);
        if (close == std::string_view::npos) return "unterminated \\k<name>";
        plain += "(?:)";
        i = close;
        continue;
      }
      plain += c;
      plain += n;
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      plain += c;
      continue;
    }
    if (c == '[') {
      in_class = true;
      plain += c;
      // A ']' (or '^]') right after '[' is a literal member.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') plain += pattern[++i];
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') plain += pattern[++i];
      continue;
    }
    if (c == '(') {
      const std::string_view rest = pattern.substr(i);
      if (rest.starts_with("(?=") || rest.starts_with("(?!") || rest.starts_with("(?>")) {
        plain += "(?:";
        i += 2;
        continue;
      }
      if (rest.starts_with("(?<=") || rest.starts_with("(?<!")) {
        plain += "(?:";
        i += 3;
        continue;
      }
      if (rest.starts_with("(?<")) {  // named group, (?<name>…)
        ++groups;
        plain += "(?P<";
        i += 2;
        continue;
      }
      if (rest.starts_with("(?P<") || !rest.starts_with("(?")) ++groups;
    }
    plain += c;
  }
  RE2::Options options;
  options.set_log_errors(false);
  RE2 re(plain, options);
  if (re.ok()) return std::nullopt;
  // RE2 refuses counted repetitions above 1000; cfn-guard's regex crate takes them up to its
  // compiled-size limit (10 MiB: `x{327680}` compiles, `x{327681}` does not). vigil accepts
  // them while the product of the counts stays under that many states, an estimate that is
  // exact for one repeated literal.
  if (re.error_code() == RE2::ErrorRepeatSize) {
    double states = 1;
    bool cls = false;
    for (size_t i = 0; i < plain.size(); ++i) {
      const char c = plain[i];
      if (c == '\\') {
        ++i;
        continue;
      }
      if (cls) {
        cls = c != ']';
        continue;
      }
      if (c == '[') {
        cls = true;
        continue;
      }
      if (c != '{') continue;
      size_t j = i + 1;
      double count = 0, upper = -1;
      while (j < plain.size() && std::isdigit(static_cast<unsigned char>(plain[j])))
        count = count * 10 + (plain[j++] - '0');
      if (j < plain.size() && plain[j] == ',') {
        ++j;
        if (j < plain.size() && std::isdigit(static_cast<unsigned char>(plain[j]))) upper = 0;
        while (j < plain.size() && std::isdigit(static_cast<unsigned char>(plain[j])))
          upper = upper * 10 + (plain[j++] - '0');
      }
      if (j < plain.size() && plain[j] == '}') states *= std::max({count, upper, 1.0});
    }
    if (states <= 327680) return std::nullopt;
  }
  return re.error();
}

namespace {

// Appends `atom` repeated between `lo` and `hi` times (hi < 0: unbounded) in RE2 syntax.
void AppendRepeat(std::string& out, const std::string& atom, double lo, double hi) {
  constexpr double kMax = 1000;
  const std::string group = "(?:" + atom + ")";
  // RE2 also bounds the product of nested counts, so the thousands are written out.
  auto exact = [&](double n) {
    const double q = std::floor(n / kMax), r = n - q * kMax;
    for (double k = 0; k < q; ++k) out += group + "{1000}";
    if (r > 0) out += group + "{" + std::to_string(static_cast<long>(r)) + "}";
  };
  auto up_to = [&](double n) {  // 0..n more
    const double q = std::floor(n / kMax), r = n - q * kMax;
    for (double k = 0; k < q; ++k) out += group + "{0,1000}";
    if (r > 0) out += group + "{0," + std::to_string(static_cast<long>(r)) + "}";
  };
  exact(lo);
  if (hi < 0)
    out += group + "*";
  else if (hi > lo)
    up_to(hi - lo);
}

}  // namespace

std::string ExpandLargeRepeats(std::string_view pattern) {
  std::string out;
  size_t atom = std::string::npos;  // where the last atom begins in `out`
  std::vector<size_t> groups;       // where each open group begins in `out`
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      atom = out.size();
      out += c;
      out += pattern[++i];
      continue;
    }
    if (c == '[') {  // a class, up to its closing ']'
      atom = out.size();
      size_t j = i + 1;
      if (j < pattern.size() && pattern[j] == '^') ++j;
      if (j < pattern.size() && pattern[j] == ']') ++j;
      while (j < pattern.size() && pattern[j] != ']') j += pattern[j] == '\\' ? 2 : 1;
      j = std::min(j, pattern.size() - 1);
      out.append(pattern.substr(i, j - i + 1));
      i = j;
      continue;
    }
    if (c == '(') {
      groups.push_back(out.size());
      out += c;
      atom = std::string::npos;
      continue;
    }
    if (c == ')') {
      out += c;
      atom = groups.empty() ? std::string::npos : groups.back();
      if (!groups.empty()) groups.pop_back();
      continue;
    }
    if (c == '{' && atom != std::string::npos) {
      size_t j = i + 1;
      double lo = 0, hi = 0;
      bool digits = false, comma = false, upper = false;
      while (j < pattern.size() && std::isdigit(static_cast<unsigned char>(pattern[j]))) {
        lo = lo * 10 + (pattern[j++] - '0');
        digits = true;
      }
      if (j < pattern.size() && pattern[j] == ',') {
        comma = true;
        ++j;
        while (j < pattern.size() && std::isdigit(static_cast<unsigned char>(pattern[j]))) {
          hi = hi * 10 + (pattern[j++] - '0');
          upper = true;
        }
      }
      if (digits && j < pattern.size() && pattern[j] == '}' &&
          (lo > 1000 || (upper && hi > 1000))) {
        const std::string a = out.substr(atom);
        out.resize(atom);
        AppendRepeat(out, a, lo, !comma ? lo : upper ? hi : -1);
        i = j;
        if (i + 1 < pattern.size() && (pattern[i + 1] == '?' || pattern[i + 1] == '+')) ++i;
        atom = std::string::npos;
        continue;
      }
    }
    if (c != '*' && c != '+' && c != '?' && c != '{' && c != '|' && c != '^' && c != '$')
      atom = out.size();
    else if (c == '|')
      atom = std::string::npos;
    out += c;
  }
  return out;
}

}  // namespace vigil::guard
