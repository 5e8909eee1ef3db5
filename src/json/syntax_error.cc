// Finds where a text stops being JSON. simdjson reports only an error code; users need a line
// and column, so on the (rare) failure path this small recursive-descent checker walks the text
// once more and stops at the first byte that cannot belong to a JSON document.
#include <cctype>
#include <string>

#include "json/value.h"

namespace vigil::json {
namespace {

class Checker {
 public:
  explicit Checker(std::string_view s) : s_(s) {}

  std::string Run() {
    Ws();
    if (p_ >= s_.size()) return Where("empty input: expected a JSON value");
    if (!ParseValue(0)) return Where(reason_);
    Ws();
    if (p_ != s_.size()) return Where("unexpected text after the JSON value");
    return Where("invalid JSON (unsupported encoding or number out of range)");
  }

 private:
  std::string Where(const std::string& why) const {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < p_ && i < s_.size(); ++i) {
      if (s_[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(col) + " (byte " +
           std::to_string(p_) + "): " + why;
  }
  void Ws() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\n' || s_[p_] == '\r' || s_[p_] == '\t'))
      ++p_;
  }
  bool Fail(const char* why) {
    reason_ = why;
    return false;
  }
  bool Lit(std::string_view w) {
    if (s_.substr(p_, w.size()) != w) return Fail("invalid literal");
    p_ += w.size();
    return true;
  }
  bool ParseValue(int depth) {
    if (depth > 1000) return Fail("nesting too deep");
    Ws();
    if (p_ >= s_.size()) return Fail("unexpected end of input (truncated file?)");
    const char c = s_[p_];
    if (c == '{') return ParseObject(depth);
    if (c == '[') return ParseArray(depth);
    if (c == '"') return ParseString();
    if (c == 't') return Lit("true");
    if (c == 'f') return Lit("false");
    if (c == 'n') return Lit("null");
    if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber();
    return Fail("unexpected character: expected a value");
  }
  bool ParseObject(int depth) {
    ++p_;
    Ws();
    if (p_ < s_.size() && s_[p_] == '}') return ++p_, true;
    for (;;) {
      Ws();
      if (p_ >= s_.size()) return Fail("unexpected end of input inside an object");
      if (s_[p_] != '"') return Fail("expected a quoted key");
      if (!ParseString()) return false;
      Ws();
      if (p_ >= s_.size() || s_[p_] != ':') return Fail("expected ':' after key");
      ++p_;
      if (!ParseValue(depth + 1)) return false;
      Ws();
      if (p_ >= s_.size()) return Fail("unexpected end of input inside an object");
      if (s_[p_] == ',') {
        ++p_;
        continue;
      }
      if (s_[p_] == '}') return ++p_, true;
      return Fail("expected ',' or '}'");
    }
  }
  bool ParseArray(int depth) {
    ++p_;
    Ws();
    if (p_ < s_.size() && s_[p_] == ']') return ++p_, true;
    for (;;) {
      if (!ParseValue(depth + 1)) return false;
      Ws();
      if (p_ >= s_.size()) return Fail("unexpected end of input inside an array");
      if (s_[p_] == ',') {
        ++p_;
        continue;
      }
      if (s_[p_] == ']') return ++p_, true;
      return Fail("expected ',' or ']'");
    }
  }
  bool ParseString() {
    ++p_;
    while (p_ < s_.size()) {
      const unsigned char c = static_cast<unsigned char>(s_[p_]);
      if (c == '"') return ++p_, true;
      if (c < 0x20) return Fail("control character inside a string");
      if (c == '\\') {
        ++p_;
        if (p_ >= s_.size()) break;
        const char e = s_[p_];
        if (e == 'u') {
          for (int i = 1; i <= 4; ++i)
            if (p_ + i >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[p_ + i])))
              return Fail("bad \\u escape");
          p_ += 4;
        } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          return Fail("bad escape in string");
        }
      }
      ++p_;
    }
    return Fail("unterminated string");
  }
  bool ParseNumber() {
    if (s_[p_] == '-') ++p_;
    auto digits = [&] {
      const size_t b = p_;
      while (p_ < s_.size() && s_[p_] >= '0' && s_[p_] <= '9') ++p_;
      return p_ > b;
    };
    if (!digits()) return Fail("bad number");
    if (p_ < s_.size() && s_[p_] == '.' && (++p_, !digits())) return Fail("bad number");
    if (p_ < s_.size() && (s_[p_] == 'e' || s_[p_] == 'E')) {
      ++p_;
      if (p_ < s_.size() && (s_[p_] == '+' || s_[p_] == '-')) ++p_;
      if (!digits()) return Fail("bad number");
    }
    return true;
  }

  std::string_view s_;
  size_t p_ = 0;
  std::string reason_;
};

}  // namespace

std::string LocateSyntaxError(std::string_view text) { return Checker(text).Run(); }

}  // namespace vigil::json
