#include "guard/functions.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <memory>

namespace vigil::guard {

bool ParseRustF64(std::string_view s, double& out);        // data.cc
bool ParseRustI64(std::string_view s, std::int64_t& out);  // data.cc

namespace {

std::string ParseError(const std::string& m) { return "Parser Error when parsing `" + m + "`"; }
std::string Incompatible(const std::string& m) {
  return "Types or variable assignments are incompatible `" + m + "`";
}

using Args = std::vector<std::vector<QueryResult>>;
using Out = std::vector<const Node*>;

// The value of a resolved argument, or nullptr for an unresolved one.
const Node* ValueOf(const QueryResult& q) { return q.resolved() ? q.value : nullptr; }

bool ParseI64(std::string_view s, std::int64_t& out) { return ParseRustI64(s, out); }

std::string Utf8(char32_t c) {
  std::string s;
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | (c >> 6));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (c >> 18));
    s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
  return s;
}

// First code point of a UTF-8 string.
char32_t FirstChar(std::string_view s) {
  const unsigned char c = static_cast<unsigned char>(s[0]);
  if (c < 0x80 || s.size() < 2) return c;
  if (c < 0xE0) return ((c & 0x1F) << 6) | (s[1] & 0x3F);
  if (c < 0xF0 || s.size() < 4)
    return s.size() < 3 ? c : ((c & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
  return ((c & 0x07) << 18) | ((s[1] & 0x3F) << 12) | ((s[2] & 0x3F) << 6) | (s[3] & 0x3F);
}

// ---------------------------------------------------------------------------------------------

Status Count(const Args& a, Arena& arena, Out& out) {
  std::int64_t n = 0;
  for (const auto& q : a[0])
    if (q.resolved()) ++n;
  const Node* like = nullptr;
  if (!a[0].empty()) like = a[0][0].resolved() ? a[0][0].value : a[0][0].unresolved->traversed_to;
  out.push_back(NewInt(arena, n, like));
  return Status::Ok();
}

// json_parse reads with serde_yaml, whose plain-scalar typing is YAML 1.2's core schema.
Node* TypedScalar(Arena& arena, const YAML::Node& y) {
  Node* n = new (arena.Allocate(sizeof(Node), alignof(Node))) Node();
  const std::string& s = y.Scalar();
  if (y.Tag() == "?") {
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
      n->kind = Kind::kNull;
      return n;
    }
    if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE") {
      n->kind = Kind::kBool;
      n->b = s[0] == 't' || s[0] == 'T';
      return n;
    }
    std::int64_t i;
    if (ParseI64(s, i)) {
      n->kind = Kind::kInt;
      n->i = i;
      return n;
    }
    std::string_view body = s;
    const bool neg = !body.empty() && body[0] == '-';
    if (!body.empty() && (body[0] == '-' || body[0] == '+')) body.remove_prefix(1);
    if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'o' || body[1] == 'b')) {
      const int base = body[1] == 'x' ? 16 : body[1] == 'o' ? 8 : 2;
      char* end = nullptr;
      const std::string digits(body.substr(2));
      errno = 0;
      const unsigned long long v = std::strtoull(digits.c_str(), &end, base);
      if (end && *end == 0 && errno == 0 && v <= static_cast<unsigned long long>(INT64_MAX)) {
        n->kind = Kind::kInt;
        n->i = neg ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
        return n;
      }
    }
    if (body == ".inf" || body == ".Inf" || body == ".INF") {
      n->kind = Kind::kFloat;
      n->f = neg ? -INFINITY : INFINITY;
      return n;
    }
    if (s == ".nan" || s == ".NaN" || s == ".NAN") {
      n->kind = Kind::kFloat;
      n->f = NAN;
      return n;
    }
    double f;
    const bool word = body.find_first_of("iInN") != std::string_view::npos;
    if (!word && ParseRustF64(s, f) && std::isfinite(f)) {
      n->kind = Kind::kFloat;
      n->f = f;
      return n;
    }
  }
  n->kind = Kind::kString;
  const std::string_view c = arena.Copy(s);
  n->str = c.data();
  n->size = static_cast<std::uint32_t>(c.size());
  return n;
}

const char* LongForm(std::string_view tag) {
  static const char* const kPairs[][2] = {
      {"Ref", "Ref"},
      {"GetAtt", "Fn::GetAtt"},
      {"Base64", "Fn::Base64"},
      {"Sub", "Fn::Sub"},
      {"GetAZs", "Fn::GetAZs"},
      {"ImportValue", "Fn::ImportValue"},
      {"Condition", "Condition"},
      {"RefAll", "Fn::RefAll"},
      {"Select", "Fn::Select"},
      {"Split", "Fn::Split"},
      {"Join", "Fn::Join"},
      {"FindInMap", "Fn::FindInMap"},
      {"And", "Fn::And"},
      {"Equals", "Fn::Equals"},
      {"Contains", "Fn::Contains"},
      {"EachMemberIn", "Fn::EachMemberIn"},
      {"EachMemberEquals", "Fn::EachMemberEquals"},
      {"ValueOf", "Fn::ValueOf"},
      {"If", "Fn::If"},
      {"Not", "Fn::Not"},
      {"Or", "Fn::Or"},
  };
  for (const auto& p : kPairs)
    if (tag == p[0]) return p[1];
  return nullptr;
}

// Builds `y` as the value at `self` (whose path and location are already set); children extend
// the path and keep the location, as cfn-guard's PathAwareValue::try_from((&Value, Path)) does.
Status BuildYaml(Arena& arena, const YAML::Node& y, Node& self, int depth) {
  if (depth > 500) return Status::Error("Error parsing incoming YAML context recursion limit");
  const std::string& tag = y.Tag();
  if (tag.size() > 1 && tag[0] == '!' && tag.find('!', 1) == std::string::npos) {
    if (const char* fn = LongForm(std::string_view(tag).substr(1))) {
      YAML::Node inner = YAML::Clone(y);
      inner.SetTag(y.IsScalar() ? "!" : "?");
      self.kind = Kind::kMap;
      self.size = 1;
      Node* kids = AllocateMapChildren(arena, self, 1, false);
      const std::string_view key = arena.Copy(fn);
      kids[0].kind = Kind::kString;
      kids[0].str = key.data();
      kids[0].size = static_cast<std::uint32_t>(key.size());
      kids[0].step = PathStep::kSame;
      kids[0].parent = &self;
      kids[0].offset = self.offset;
      kids[1].step = PathStep::kKey;
      kids[1].parent = &self;
      kids[1].offset = self.offset;
      return BuildYaml(arena, inner, kids[1], depth + 1);
    }
  }
  if (y.IsNull()) {
    self.kind = Kind::kNull;
    return Status::Ok();
  }
  if (y.IsScalar()) {
    const Node* t = TypedScalar(arena, y);
    self.kind = t->kind;
    self.size = t->size;
    self.i = t->i;
    if (t->kind == Kind::kString) self.str = t->str;
    return Status::Ok();
  }
  if (y.IsSequence()) {
    self.kind = Kind::kList;
    self.size = static_cast<std::uint32_t>(y.size());
    Node* kids = arena.AllocateArray<Node>(y.size());
    for (size_t i = 0; i < y.size(); ++i) {
      new (&kids[i]) Node();
      kids[i].step = PathStep::kIndex;
      kids[i].index = static_cast<std::uint32_t>(i);
      kids[i].parent = &self;
      kids[i].offset = self.offset;
      if (Status s = BuildYaml(arena, y[i], kids[i], depth + 1); !s.ok()) return s;
    }
    self.children = kids;
    return Status::Ok();
  }
  if (y.IsMap()) {
    std::vector<std::pair<std::string, YAML::Node>> entries;
    for (const auto& kv : y) {
      if (!kv.first.IsScalar() || TypedScalar(arena, kv.first)->kind != Kind::kString)
        return Status::Error(
            "non string type detected for key in a map at , cfn-guard only supports keys that are "
            "string types");
      const std::string k = kv.first.Scalar();
      bool replaced = false;
      for (auto& e : entries)
        if (e.first == k) {
          e.second = kv.second;
          replaced = true;
        }
      if (!replaced) entries.emplace_back(k, kv.second);
    }
    self.kind = Kind::kMap;
    self.size = static_cast<std::uint32_t>(entries.size());
    Node* kids = AllocateMapChildren(arena, self, entries.size(), false);
    for (size_t e = 0; e < entries.size(); ++e) {
      Node& key = kids[2 * e];
      Node& val = kids[2 * e + 1];
      const std::string_view k = arena.Copy(entries[e].first);
      key.kind = Kind::kString;
      key.str = k.data();
      key.size = static_cast<std::uint32_t>(k.size());
      key.step = PathStep::kOwnKey;  // serde values name their keys by the extended path
      key.parent = &self;
      key.offset = self.offset;
      val.step = PathStep::kKey;
      val.parent = &self;
      val.offset = self.offset;
    }
    for (size_t e = 0; e < entries.size(); ++e)
      if (Status s = BuildYaml(arena, entries[e].second, kids[2 * e + 1], depth + 1); !s.ok())
        return s;
    return Status::Ok();
  }
  self.kind = Kind::kNull;
  return Status::Ok();
}

// libyaml's reader accepts only #x9, #xA, #xD, #x20-#x7E, #x85, #xA0-#xD7FF, #xE000-#xFFFD and
// #x10000-#x10FFFF.
bool HasYamlForbiddenChar(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      if (b < 0x20 ? (b != 0x9 && b != 0xa && b != 0xd) : b == 0x7f) return true;
      continue;
    }
    const size_t len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (len == 1 || i + len > s.size()) return false;  // not UTF-8: the reader's own error
    char32_t c = b & (0x7f >> len);
    for (size_t k = 1; k < len; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    if ((c >= 0x80 && c < 0xa0 && c != 0x85) || (c >= 0xd800 && c < 0xe000) || c == 0xfffe ||
        c == 0xffff)
      return true;
    i += len - 1;
  }
  return false;
}

Status JsonParse(const Args& a, Arena& arena, Out& out) {
  for (const auto& q : a[0]) {
    const Node* v = ValueOf(q);
    if (!v || v->kind != Kind::kString) continue;
    // serde_yaml (libyaml) refuses characters YAML does not allow in a stream, and a text with
    // no document at all; yaml-cpp would read both.
    if (HasYamlForbiddenChar(v->text()))
      return Status::Error(
          "Error parsing incoming YAML context control characters are not allowed");
    YAML::Node y;
    try {
      std::vector<YAML::Node> docs = YAML::LoadAll(std::string(v->text()));
      if (docs.empty())
        return Status::Error("Error parsing incoming YAML context EOF while parsing a value");
      y = docs[0];
    } catch (const YAML::Exception& e) {
      return Status::Error("Error parsing incoming YAML context " + std::string(e.what()));
    }
    Node* root = new (arena.Allocate(sizeof(Node), alignof(Node))) Node();
    CopyPath(*root, *v);
    try {
      if (Status s = BuildYaml(arena, y, *root, 0); !s.ok()) return s;
    } catch (const YAML::Exception& e) {
      return Status::Error("Error parsing incoming YAML context " + std::string(e.what()));
    }
    out.push_back(root);
  }
  return Status::Ok();
}

// The string value of argument `index` (cfn-guard reads args[index][0]).
const Node* FirstValue(const Args& a, size_t index) {
  if (a[index].empty()) return nullptr;
  return ValueOf(a[index][0]);
}

Status RegexReplace(const Args& a, Arena& arena, Out& out) {
  if (a[1].empty() || a[2].empty())
    return Status::Error(
        "thread 'main' panicked: index out of bounds: regex_replace argument resolved to no value");
  const Node* expr = FirstValue(a, 1);
  if (!expr || expr->kind != Kind::kString)
    return Status::Error(
        ParseError("regex_replace function requires the second argument to be a string"));
  const Node* rep = FirstValue(a, 2);
  if (!rep || rep->kind != Kind::kString)
    return Status::Error(
        ParseError("regex_replace function requires the third argument to be a string"));
  std::unique_ptr<Regex> re;
  for (const auto& q : a[0]) {
    const Node* v = ValueOf(q);
    if (!v || v->kind != Kind::kString) continue;
    if (!re) re = std::make_unique<Regex>(expr->text());
    if (!re->ok())
      return Status::Error(
          "Regex expression parse error for rules file Parsing error at position "
          "0: invalid regex " +
          std::string(expr->text()));
    auto replaced = re->ExpandAll(v->text(), rep->text());
    if (!replaced)
      return Status::Error("Regex expression parse error for rules file " +
                           std::string(expr->text()));
    out.push_back(NewString(arena, *replaced, v));
  }
  return Status::Ok();
}

// Rust's `n as u16` for an i64 (wrapping) and an f64 (saturating).
size_t AsU16(const Node& n) {
  if (n.kind == Kind::kInt) return static_cast<std::uint16_t>(static_cast<std::uint64_t>(n.i));
  if (std::isnan(n.f) || n.f <= 0) return 0;
  if (n.f >= 65535) return 65535;
  return static_cast<size_t>(n.f);
}

Status Substring(const Args& a, Arena& arena, Out& out) {
  if (a[1].empty() || a[2].empty())
    return Status::Error(
        "thread 'main' panicked: index out of bounds: substring argument resolved to no value");
  const Node* from = FirstValue(a, 1);
  if (!from || (from->kind != Kind::kInt && from->kind != Kind::kFloat))
    return Status::Error(
        ParseError("substring function requires the second argument to be a number"));
  const Node* to = FirstValue(a, 2);
  if (!to || (to->kind != Kind::kInt && to->kind != Kind::kFloat))
    return Status::Error(
        ParseError("substring function requires the third argument to be a number"));
  const size_t f = AsU16(*from), t = AsU16(*to);
  for (const auto& q : a[0]) {
    const Node* v = ValueOf(q);
    if (!v || v->kind != Kind::kString) continue;
    const std::string_view s = v->text();
    if (s.empty() || f >= t || f > s.size() || t > s.size()) continue;
    auto boundary = [&](size_t i) {
      return i == s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    };
    if (!boundary(f) || !boundary(t))
      return Status::Error("thread 'main' panicked: byte index is not a char boundary in `" +
                           std::string(s) + "`");
    out.push_back(NewString(arena, s.substr(f, t - f), v));
  }
  return Status::Ok();
}

Status ChangeCase(const Args& a, Arena& arena, Out& out, bool upper) {
  for (const auto& q : a[0]) {
    const Node* v = ValueOf(q);
    if (!v || v->kind != Kind::kString) continue;
    std::string s(v->text());
    for (char& c : s)
      c = static_cast<char>(upper ? std::toupper(static_cast<unsigned char>(c))
                                  : std::tolower(static_cast<unsigned char>(c)));
    out.push_back(NewString(arena, s, v));
  }
  return Status::Ok();
}

Status Join(const Args& a, Arena& arena, Out& out) {
  const Node* d = a[1].empty() ? nullptr : FirstValue(a, 1);
  if (a[1].empty())
    return Status::Error(
        "thread 'main' panicked: index out of bounds: join argument resolved to no value");
  std::string delim;
  if (d && d->kind == Kind::kString) {
    delim = std::string(d->text());
  } else if (d && d->kind == Kind::kChar) {
    delim = Utf8(d->c);
  } else {
    return Status::Error(
        ParseError("join function requires the second argument to be either a char or string"));
  }
  std::string joined;
  const auto& items = a[0];
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].resolved()) {
      const Unresolved& u = *items[i].unresolved;
      return Status::Error(Incompatible("Joining unresolved values is not allowed " +
                                        DisplayValue(*u.traversed_to) + ", unsatisfied part " +
                                        RemainingQuery(u)));
    }
    if (items[i].value->kind != Kind::kString)
      return Status::Error(
          Incompatible("Joining non string values " + DisplayValue(*items[i].value)));
    joined += items[i].value->text();
    if (items.size() - 1 > i) joined += delim;
  }
  const Node* like = nullptr;
  if (!items.empty())
    like = items[0].resolved() ? items[0].value : items[0].unresolved->traversed_to;
  out.push_back(NewString(arena, joined, like));
  return Status::Ok();
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    if (n == 2 && c < 0xC2) return false;
    if (n == 3) {
      const unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) return false;
    }
    if (n == 4) {
      const unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      if ((c == 0xF0 && c1 < 0x90) || c > 0xF4 || (c == 0xF4 && c1 >= 0x90)) return false;
    }
    i += n;
  }
  return true;
}

Status UrlDecode(const Args& a, Arena& arena, Out& out) {
  for (const auto& q : a[0]) {
    const Node* v = ValueOf(q);
    if (!v || v->kind != Kind::kString) continue;
    const std::string_view s = v->text();
    std::string d;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '%' && i + 2 < s.size()) {
        const int h = HexValue(s[i + 1]);
        const int l = HexValue(s[i + 2]);
        if (h >= 0 && l >= 0) {
          d += static_cast<char>(h * 16 + l);
          i += 2;
          continue;
        }
      }
      d += s[i];
    }
    if (!ValidUtf8(d)) continue;
    out.push_back(NewString(arena, d, v));
  }
  return Status::Ok();
}

Status ParseInt(const Args& a, Arena& arena, Out& out) {
  for (const auto& q : a[0]) {
    const Node* v = ValueOf(q);
    if (!v) continue;
    switch (v->kind) {
      case Kind::kString: {
        std::int64_t i;
        if (!ParseI64(v->text(), i))
          return Status::Error(ParseError("failed to convert a string: " + std::string(v->text()) +
                                          " into an integer at " + PathWithLocation(*v)));
        out.push_back(NewInt(arena, i, v));
        break;
      }
      case Kind::kInt:
        out.push_back(NewInt(arena, v->i, v));
        break;
      case Kind::kChar:
        if (v->c < '0' || v->c > '9')
          return Status::Error(ParseError("failed to convert a character: " + Utf8(v->c) +
                                          " into an integer at " + PathWithLocation(*v)));
        out.push_back(NewInt(arena, v->c - '0', v));
        break;
      case Kind::kFloat: {
        // Rust's `as i64`: saturating, NaN is 0.
        std::int64_t i = 0;
        if (std::isnan(v->f)) {
          i = 0;
        } else if (v->f >= 9223372036854775807.0) {
          i = INT64_MAX;
        } else if (v->f <= -9223372036854775808.0) {
          i = INT64_MIN;
        } else {
          i = static_cast<std::int64_t>(v->f);
        }
        out.push_back(NewInt(arena, i, v));
        break;
      }
      default:
        break;
    }
  }
  return Status::Ok();
}

Status ParseFloat(const Args& a, Arena& arena, Out& out) {
  for (const auto& q : a[0]) {
    const Node* v = ValueOf(q);
    if (!v) continue;
    switch (v->kind) {
      case Kind::kString: {
        double f;
        if (!ParseRustF64(v->text(), f))
          return Status::Error(ParseError("failed to convert a string: " + std::string(v->text()) +
                                          " into a float at " + PathWithLocation(*v)));
        out.push_back(NewFloat(arena, f, v));
        break;
      }
      case Kind::kInt:
        out.push_back(NewFloat(arena, static_cast<double>(v->i), v));
        break;
      case Kind::kFloat:
        out.push_back(NewFloat(arena, v->f, v));
        break;
      case Kind::kChar:
        if (v->c < '0' || v->c > '9')
          return Status::Error(ParseError("failed to convert a character: " + Utf8(v->c) +
                                          " into a float at " + PathWithLocation(*v)));
        out.push_back(NewFloat(arena, v->c - '0', v));
        break;
      default:
        break;
    }
  }
  return Status::Ok();
}

Status ParseBoolean(const Args& a, Arena& arena, Out& out) {
  for (const auto& q : a[0]) {
    const Node* v = ValueOf(q);
    if (!v) continue;
    if (v->kind == Kind::kBool) {
      out.push_back(NewBool(arena, v->b, v));
    } else if (v->kind == Kind::kString) {
      std::string lower(v->text());
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "true" || lower == "false") {
        out.push_back(NewBool(arena, lower == "true", v));
      } else {
        return Status::Error(ParseError("failed to convert a string: " + std::string(v->text()) +
                                        " into a boolean at " + PathWithLocation(*v)));
      }
    }
  }
  return Status::Ok();
}

Status ParseString(const Args& a, Arena& arena, Out& out) {
  for (const auto& q : a[0]) {
    const Node* v = ValueOf(q);
    if (!v) continue;
    std::string s;
    switch (v->kind) {
      case Kind::kInt:
        s = std::to_string(v->i);
        break;
      case Kind::kFloat:
        AppendRustFloat(s, v->f);
        break;
      case Kind::kBool:
        s = v->b ? "true" : "false";
        break;
      case Kind::kString:
        s = std::string(v->text());
        break;
      case Kind::kChar:
        s = Utf8(v->c);
        break;
      default:
        continue;
    }
    out.push_back(NewString(arena, s, v));
  }
  return Status::Ok();
}

Status ParseChar(const Args& a, Arena& arena, Out& out) {
  for (const auto& q : a[0]) {
    const Node* v = ValueOf(q);
    if (!v) continue;
    switch (v->kind) {
      case Kind::kInt:
        if (v->i < 0 || v->i > 9)
          return Status::Error(ParseError("failed to convert an int: " + std::to_string(v->i) +
                                          " into a char at " + PathWithLocation(*v)));
        out.push_back(NewChar(arena, static_cast<char32_t>('0' + v->i), v));
        break;
      case Kind::kString:
        if (v->size > 1)
          return Status::Error(ParseError("failed to convert an string: " + std::string(v->text()) +
                                          " into a char at " + PathWithLocation(*v)));
        if (v->size == 1) out.push_back(NewChar(arena, FirstChar(v->text()), v));
        break;
      case Kind::kChar:
        out.push_back(NewString(arena, Utf8(v->c), v));
        break;
      default:
        break;
    }
  }
  return Status::Ok();
}

struct Function {
  const char* name;
  size_t arity;
  Status (*call)(const Args&, Arena&, Out&);
};

Status ToUpper(const Args& a, Arena& arena, Out& out) { return ChangeCase(a, arena, out, true); }
Status ToLower(const Args& a, Arena& arena, Out& out) { return ChangeCase(a, arena, out, false); }

const Function kFunctions[] = {
    {"count", 1, &Count},
    {"json_parse", 1, &JsonParse},
    {"regex_replace", 3, &RegexReplace},
    {"substring", 3, &Substring},
    {"to_upper", 1, &ToUpper},
    {"to_lower", 1, &ToLower},
    {"join", 2, &Join},
    {"url_decode", 1, &UrlDecode},
    {"parse_int", 1, &ParseInt},
    {"parse_float", 1, &ParseFloat},
    {"parse_string", 1, &ParseString},
    {"parse_boolean", 1, &ParseBoolean},
    {"parse_char", 1, &ParseChar},
};

const Function* Find(std::string_view name) {
  for (const auto& f : kFunctions)
    if (name == f.name) return &f;
  return nullptr;
}

}  // namespace

Status CheckFunctionCall(std::string_view name, size_t arguments) {
  const Function* f = Find(name);
  if (!f)
    return Status::Error(ParseError("no such function named " + std::string(name) + " exists"));
  if (f->arity != arguments)
    return Status::Error(
        ParseError(std::string(name) + " function requires " + std::to_string(f->arity) +
                   " arguments be passed, but received " + std::to_string(arguments)));
  return Status::Ok();
}

Status CallFunction(std::string_view name, const Args& args, Arena& arena, Out& out) {
  const Function* f = Find(name);
  if (!f) return Status::Error(ParseError("No function named " + std::string(name)));
  return f->call(args, arena, out);
}

}  // namespace vigil::guard
