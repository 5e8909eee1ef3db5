#include "guard/regex_syntax.h"

#include <re2/re2.h>

#include <cctype>
#include <string>

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
  if (!re.ok()) return re.error();
  return std::nullopt;
}

}  // namespace vigil::guard
