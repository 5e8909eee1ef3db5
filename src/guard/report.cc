#include "guard/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "json/writer.h"

namespace vigil::guard::report {

// --- Out ------------------------------------------------------------------------------------

Out Out::Bool(bool v) {
  Out o;
  o.type = Type::kBool;
  o.b = v;
  return o;
}
Out Out::Int(std::int64_t v) {
  Out o;
  o.type = Type::kInt;
  o.i = v;
  return o;
}
Out Out::Float(double v) {
  Out o;
  o.type = Type::kFloat;
  o.f = v;
  if (std::isfinite(v)) AppendJsonFloat(o.s, v);
  return o;
}
Out Out::Str(std::string v) {
  Out o;
  o.type = Type::kString;
  o.s = std::move(v);
  return o;
}
Out Out::Array() {
  Out o;
  o.type = Type::kArray;
  return o;
}
Out Out::Object() {
  Out o;
  o.type = Type::kObject;
  return o;
}
Out& Out::Add(std::string key, Out value) {
  keys.push_back(std::move(key));
  items.push_back(std::move(value));
  return items.back();
}
Out& Out::Push(Out value) {
  items.push_back(std::move(value));
  return items.back();
}
Out Out::NodeRef(const Node& n) {
  Out o;
  o.type = Type::kNode;
  o.node = &n;
  return o;
}
Out Out::Variant(std::string key, Out value) {
  Out o = Object();
  o.Add(std::move(key), std::move(value));
  return o;
}

// --- JSON -----------------------------------------------------------------------------------

namespace {

// serde_json's escaping is json::AppendQuoted's.
void JsonString(std::string& out, std::string_view s) { json::AppendQuoted(out, s); }

void JsonScalar(std::string& out, const Out& v) {
  switch (v.type) {
    case Out::Type::kNull:
      out += "null";
      break;
    case Out::Type::kBool:
      out += v.b ? "true" : "false";
      break;
    case Out::Type::kInt:
      out += std::to_string(v.i);
      break;
    case Out::Type::kFloat:
      out += v.s.empty() ? "null" : v.s;
      break;
    case Out::Type::kString:
      JsonString(out, v.s);
      break;
    default:
      break;
  }
}

void Indent(std::string& out, int depth) { out.append(2 * static_cast<size_t>(depth), ' '); }

// A data value in serde_json's pretty form, as JsonPretty would print ExpandValue(n).
void NodeJsonPretty(JsonSink& sink, const Node& n, int depth) {
  std::string& out = sink.buf;
  switch (n.kind) {
    case Kind::kNull:
      out += "null";
      return;
    case Kind::kBool:
      out += n.b ? "true" : "false";
      return;
    case Kind::kInt:
      out += std::to_string(n.i);
      return;
    case Kind::kFloat:
      if (std::isfinite(n.f)) {
        AppendJsonFloat(out, n.f);
      } else {
        out += "null";
      }
      return;
    case Kind::kString:
      JsonString(out, n.text());
      return;
    case Kind::kList:
    case Kind::kMap: {
      const bool is_map = n.kind == Kind::kMap;
      out += is_map ? '{' : '[';
      if (n.size == 0) {
        out += is_map ? '}' : ']';
        return;
      }
      for (std::uint32_t k = 0; k < n.size; ++k) {
        if (k) out += ',';
        out += '\n';
        Indent(out, depth + 1);
        if (is_map) {
          JsonString(out, n.EntryKey(k).text());
          out += ": ";
        }
        NodeJsonPretty(sink, is_map ? n.EntryValue(k) : n.Element(k), depth + 1);
      }
      out += '\n';
      Indent(out, depth);
      out += is_map ? '}' : ']';
      sink.MaybeFlush();
      return;
    }
    default:
      JsonScalar(out, ExpandValue(n));
      return;
  }
}

void JsonPretty(JsonSink& sink, const Out& v, int depth) {
  if (v.type == Out::Type::kNode) {
    NodeJsonPretty(sink, *v.node, depth);
    return;
  }
  std::string& out = sink.buf;
  const bool is_obj = v.type == Out::Type::kObject;
  if (v.type != Out::Type::kArray && !is_obj) {
    JsonScalar(out, v);
    return;
  }
  out += is_obj ? '{' : '[';
  if (v.items.empty()) {
    out += is_obj ? '}' : ']';
    return;
  }
  for (size_t k = 0; k < v.items.size(); ++k) {
    if (k) out += ',';
    out += '\n';
    Indent(out, depth + 1);
    if (is_obj) {
      JsonString(out, v.keys[k]);
      out += ": ";
    }
    JsonPretty(sink, v.items[k], depth + 1);
  }
  out += '\n';
  Indent(out, depth);
  out += is_obj ? '}' : ']';
  sink.MaybeFlush();
}

void JsonCompact(std::string& out, const Out& v) {
  if (v.type == Out::Type::kNode) {
    JsonCompact(out, ExpandValue(*v.node));
    return;
  }
  const bool is_obj = v.type == Out::Type::kObject;
  if (v.type != Out::Type::kArray && !is_obj) {
    JsonScalar(out, v);
    return;
  }
  out += is_obj ? '{' : '[';
  for (size_t k = 0; k < v.items.size(); ++k) {
    if (k) out += ',';
    if (is_obj) {
      JsonString(out, v.keys[k]);
      out += ':';
    }
    JsonCompact(out, v.items[k]);
  }
  out += is_obj ? '}' : ']';
}

}  // namespace

void JsonSink::Flush() {
  if (file && !buf.empty()) std::fwrite(buf.data(), 1, buf.size(), file);
  buf.clear();
}

void AppendJsonPretty(JsonSink& sink, const Out& v, int depth) { JsonPretty(sink, v, depth); }

std::string ToJsonPretty(const Out& v) {
  JsonSink sink;
  JsonPretty(sink, v, 0);
  return std::move(sink.buf);
}

std::string ToJsonCompact(const Out& v) {
  std::string out;
  JsonCompact(out, v);
  return out;
}

// --- YAML -----------------------------------------------------------------------------------

namespace {

// serde_yaml quotes a string that would read back as null, a bool, an integer or a float (its
// own parse_null/parse_bool/parse_*_int/parse_f64: YAML 1.2 core spellings, Rust's f64 syntax).
bool AmbiguousScalar(std::string_view s) {
  static const char* const kWords[] = {"~",     "null",  "Null",  "NULL",  "true",  "True",
                                       "TRUE",  "false", "False", "FALSE", ".inf",  ".Inf",
                                       ".INF",  "-.inf", "-.Inf", "-.INF", "+.inf", "+.Inf",
                                       "+.INF", ".nan",  ".NaN",  ".NAN"};
  if (s.empty()) return true;
  for (const char* w : kWords)
    if (s == w) return true;
  std::string_view t = s;
  if (t[0] == '+' || t[0] == '-') t.remove_prefix(1);
  if (t.empty()) return false;
  auto all_of = [](std::string_view d, int base) {
    if (d.empty()) return false;
    for (const char c : d) {
      const int v = std::isdigit(static_cast<unsigned char>(c))    ? c - '0'
                    : std::isxdigit(static_cast<unsigned char>(c)) ? 10
                                                                   : 99;
      if (v >= base) return false;
    }
    return true;
  };
  if (t.size() > 2 && t[0] == '0') {
    if (t[1] == 'x') return all_of(t.substr(2), 16);
    if (t[1] == 'o') return all_of(t.substr(2), 8);
    if (t[1] == 'b') return all_of(t.substr(2), 2);
  }
  if (all_of(t, 10)) return true;
  // Rust's f64 grammar: digits with an optional fraction and exponent; "inf"/"nan" parse but
  // are not finite, so serde_yaml does not take them for floats.
  size_t k = 0;
  size_t int_digits = 0, frac_digits = 0;
  while (k < t.size() && std::isdigit(static_cast<unsigned char>(t[k]))) ++k, ++int_digits;
  if (k < t.size() && t[k] == '.') {
    ++k;
    while (k < t.size() && std::isdigit(static_cast<unsigned char>(t[k]))) ++k, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return false;
  if (k < t.size() && (t[k] == 'e' || t[k] == 'E')) {
    ++k;
    if (k < t.size() && (t[k] == '+' || t[k] == '-')) ++k;
    size_t exp_digits = 0;
    while (k < t.size() && std::isdigit(static_cast<unsigned char>(t[k]))) ++k, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return k == t.size();
}

// libyaml's yaml_emitter_analyze_scalar, as far as it decides between plain and quoted styles
// for a block context.
bool PlainAllowed(std::string_view s) {
  if (s.empty()) return false;
  if (s.substr(0, 3) == "---" || s.substr(0, 3) == "...") return false;
  const auto first = static_cast<unsigned char>(s[0]);
  if (std::strchr("#,[]{}&*!|>'\"%@`", first) && first != 0) return false;
  if ((first == '-' || first == '?' || first == ':') &&
      (s.size() == 1 || s[1] == ' ' || s[1] == '\t'))
    return false;
  if (s.front() == ' ' || s.back() == ' ') return false;
  for (size_t k = 0; k < s.size(); ++k) {
    const auto c = static_cast<unsigned char>(s[k]);
    if (c < 0x20 || c == 0x7f) return false;
    if (c == ':' && (k + 1 == s.size() || s[k + 1] == ' ')) return false;
    if (c == '#' && k > 0 && s[k - 1] == ' ') return false;
  }
  // libyaml treats non-ASCII as printable and allows it in plain scalars; BOM is not.
  if (s.substr(0, 3) == "\xEF\xBB\xBF") return false;
  return true;
}

// libyaml's non-printable characters and the line breaks it only writes escaped: C0 and C1
// controls, NEL (U+0085), LS (U+2028), PS (U+2029) and the byte-order mark.
size_t EscapedCharLength(std::string_view s, size_t k) {
  const auto c = static_cast<unsigned char>(s[k]);
  if ((c < 0x20 && c != '\n') || c == 0x7f) return 1;
  if (c == 0xC2 && k + 1 < s.size() && static_cast<unsigned char>(s[k + 1]) < 0xA0) return 2;
  if (c == 0xE2 && k + 2 < s.size() && static_cast<unsigned char>(s[k + 1]) == 0x80 &&
      (static_cast<unsigned char>(s[k + 2]) == 0xA8 ||
       static_cast<unsigned char>(s[k + 2]) == 0xA9))
    return 3;
  if (c == 0xEF && s.substr(k, 3) == "\xEF\xBB\xBF") return 3;
  return 0;
}

bool NeedsDoubleQuotes(std::string_view s) {
  for (size_t k = 0; k < s.size(); ++k)
    if (EscapedCharLength(s, k)) return true;
  return false;
}

void YamlDoubleQuoted(std::string& out, std::string_view s) {
  out += '"';
  for (size_t k = 0; k < s.size(); ++k) {
    const char ch = s[k];
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80) {
      const size_t n = EscapedCharLength(s, k);
      if (n == 2) {
        const auto c1 = static_cast<unsigned char>(s[k + 1]);
        out += c1 == 0x85 ? std::string("\\N") : fmt::format("\\x{:02X}", c1);
      } else if (n == 3) {
        const auto c2 = static_cast<unsigned char>(s[k + 2]);
        out += c == 0xEF ? "\\uFEFF" : c2 == 0xA8 ? "\\L" : "\\P";
      } else {
        out += ch;
        continue;
      }
      k += n - 1;
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case 0:
        out += "\\0";
        break;
      case 7:
        out += "\\a";
        break;
      case 8:
        out += "\\b";
        break;
      case 11:
        out += "\\v";
        break;
      case 12:
        out += "\\f";
        break;
      case 27:
        out += "\\e";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\x{:02X}", c);
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

void YamlString(std::string& out, std::string_view s, int indent) {
  if (NeedsDoubleQuotes(s)) {
    YamlDoubleQuoted(out, s);
    return;
  }
  // libyaml refuses a literal block for text with a trailing space or a space before a break.
  if (s.find('\n') != std::string_view::npos &&
      (s.back() == ' ' || s.find(" \n") != std::string_view::npos)) {
    YamlDoubleQuoted(out, s);
    return;
  }
  if (s.find('\n') != std::string_view::npos) {
    // serde_yaml writes multi-line strings as literal blocks.
    const bool trailing = !s.empty() && s.back() == '\n';
    const bool keep = s.size() >= 2 && s[s.size() - 1] == '\n' && s[s.size() - 2] == '\n';
    out += keep ? "|+" : trailing ? "|" : "|-";
    if (!s.empty() && s[0] == ' ') out.insert(out.size() - (keep || !trailing ? 1 : 0), "2");
    std::string_view rest = s;
    if (trailing) rest.remove_suffix(1);
    size_t pos = 0;
    while (true) {
      const size_t nl = rest.find('\n', pos);
      const std::string_view line =
          rest.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
      out += '\n';
      if (!line.empty()) {
        out.append(2 * indent, ' ');
        out += line;
      }
      if (nl == std::string_view::npos) break;
      pos = nl + 1;
    }
    return;
  }
  if (!AmbiguousScalar(s) && PlainAllowed(s)) {
    out += s;
    return;
  }
  out += '\'';
  for (const char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
}

void YamlScalar(std::string& out, const Out& v, int indent) {
  if (v.type == Out::Type::kNode) {
    YamlScalar(out, ExpandValue(*v.node), indent);
    return;
  }
  switch (v.type) {
    case Out::Type::kNull:
      out += "null";
      break;
    case Out::Type::kBool:
      out += v.b ? "true" : "false";
      break;
    case Out::Type::kInt:
      out += std::to_string(v.i);
      break;
    case Out::Type::kFloat:
      if (std::isnan(v.f)) {
        out += ".nan";
      } else if (std::isinf(v.f)) {
        out += v.f > 0 ? ".inf" : "-.inf";
      } else {
        out += v.s;
      }
      break;
    case Out::Type::kString:
      YamlString(out, v.s, indent);
      break;
    case Out::Type::kArray:
      out += "[]";
      break;
    case Out::Type::kObject:
      out += "{}";
      break;
    case Out::Type::kNode:
      break;  // expanded above
  }
}

bool IsBlock(const Out& v) {
  if (v.type == Out::Type::kNode) return !v.node->IsScalar() && v.node->size > 0;
  return (v.type == Out::Type::kArray || v.type == Out::Type::kObject) && !v.items.empty();
}

// Writes `v` whose first line continues the current line (after "- " or at the start); the
// following lines are indented by `indent` levels.
void YamlNode(std::string& out, const Out& v, int indent) {
  if (v.type == Out::Type::kNode) {
    YamlNode(out, ExpandValue(*v.node), indent);
    return;
  }
  if (!IsBlock(v)) {
    YamlScalar(out, v, indent);
    return;
  }
  const std::string pad(2 * indent, ' ');
  for (size_t k = 0; k < v.items.size(); ++k) {
    if (k) {
      out += '\n';
      out += pad;
    }
    const Out& item = v.items[k];
    if (v.type == Out::Type::kArray) {
      out += "- ";
      YamlNode(out, item, indent + 1);
      continue;
    }
    YamlString(out, v.keys[k], indent);
    out += ':';
    if (!IsBlock(item)) {
      out += ' ';
      YamlScalar(out, item, indent + 1);
    } else if (item.type == Out::Type::kArray ||
               (item.type == Out::Type::kNode && item.node->IsList())) {
      out += '\n';
      out += pad;
      YamlNode(out, item, indent);
    } else {
      out += '\n';
      out += pad;
      out += "  ";
      YamlNode(out, item, indent + 1);
    }
  }
}

}  // namespace

std::string ToYaml(const Out& v) {
  std::string out;
  YamlNode(out, v, 0);
  out += '\n';
  return out;
}

// --- Values ---------------------------------------------------------------------------------

Out ValueOut(const Node& n) { return Out::NodeRef(n); }

Out ExpandValue(const Node& n) {
  switch (n.kind) {
    case Kind::kNull:
      return Out::Null();
    case Kind::kString:
      return Out::Str(std::string(n.text()));
    case Kind::kBool:
      return Out::Bool(n.b);
    case Kind::kInt:
      return Out::Int(n.i);
    case Kind::kFloat:
      return Out::Float(n.f);
    case Kind::kList: {
      Out a = Out::Array();
      for (std::uint32_t k = 0; k < n.size; ++k) a.Push(ExpandValue(n.Element(k)));
      return a;
    }
    case Kind::kMap: {
      Out o = Out::Object();
      for (std::uint32_t k = 0; k < n.size; ++k)
        o.Add(std::string(n.EntryKey(k).text()), ExpandValue(n.EntryValue(k)));
      return o;
    }
    default: {
      // Regexes, chars and ranges serialise as strings; AppendJson knows their text.
      std::string json;
      AppendJson(json, n);
      std::string s;
      for (size_t k = 1; k + 1 < json.size(); ++k) {
        if (json[k] == '\\' && k + 2 < json.size()) ++k;
        s += json[k];
      }
      return Out::Str(std::move(s));
    }
  }
}

Out PathValueOut(const Node& n) {
  Out o = Out::Object();
  o.Add("path", Out::Str(PathOf(n)));
  o.Add("value", ValueOut(n));
  return o;
}

// --- FileReport -----------------------------------------------------------------------------

namespace {

EvalStatus And(EvalStatus a, EvalStatus b) {
  switch (a) {
    case EvalStatus::kFail:
      return EvalStatus::kFail;
    case EvalStatus::kPass:
      return b == EvalStatus::kFail ? b : EvalStatus::kPass;
    case EvalStatus::kSkip:
      return b;
  }
  return b;
}

Out OptStr(const std::string* s) { return s ? Out::Str(*s) : Out::Null(); }
Out OptStr(const std::optional<std::string>& s) { return s ? Out::Str(*s) : Out::Null(); }

Out Messages(Out custom, Out error, const Node* location = nullptr) {
  Out m = Out::Object();
  m.Add("custom_message", std::move(custom));
  m.Add("error_message", std::move(error));
  // Messages::location is not serialised; SarifReport reads it.
  if (location) {
    m.b = true;
    const Location loc = LocationOf(*location);
    m.i = (static_cast<std::int64_t>(loc.line) << 32) | loc.column;
  }
  return m;
}

Out Comparison(const Record& r) {
  Out a = Out::Array();
  a.Push(Out::Str(CfnGuardName(r.op)));
  a.Push(Out::Bool(r.op_negated));
  return a;
}

Out UnresolvedOut(const Unresolved& u) {
  Out o = Out::Object();
  o.Add("traversed_to", PathValueOut(*u.traversed_to));
  o.Add("remaining_query", Out::Str(RemainingQuery(u)));
  o.Add("reason", u.has_reason ? Out::Str(u.reason) : Out::Null());
  return o;
}

Out ValueUnresolvedOut(const Record& r, const Unresolved& u) {
  Out o = Out::Object();
  o.Add("value", UnresolvedOut(u));
  o.Add("comparison", Comparison(r));
  return o;
}

// QueryResult's Display, as SliceDisplay joins it in `in` messages.
std::string QueryResultText(const QueryResult& q) {
  switch (q.kind) {
    case QueryResult::Kind::kLiteral:
      return "literal, " + DisplayValue(*q.value);
    case QueryResult::Kind::kResolved:
      return "(resolved, " + DisplayValue(*q.value) + ")";
    case QueryResult::Kind::kUnresolved:
      return "(unresolved, " + DisplayValue(*q.unresolved->traversed_to) + ")";
  }
  return "";
}

std::string SliceText(const std::vector<QueryResult>& v) {
  std::string s;
  for (size_t k = 0; k < v.size(); ++k) {
    if (k) s += '.';
    s += QueryResultText(v[k]);
  }
  std::string out;
  for (size_t k = 0; k < s.size(); ++k) {
    if (s[k] == '.' && k + 1 < s.size() && s[k + 1] == '[') continue;
    out += s[k];
  }
  return out;
}

const char* UnaryFailText(CmpOperator op, bool negated) {
  switch (op) {
    case CmpOperator::kExists:
      return negated ? "existed" : "did not exist";
    case CmpOperator::kEmpty:
      return negated ? "was empty" : "was not empty";
    case CmpOperator::kIsList:
      return negated ? "was a list " : "was not list";
    case CmpOperator::kIsMap:
      return negated ? "was a struct" : "was not struct";
    case CmpOperator::kIsString:
      return negated ? "was a string " : "was not string";
    case CmpOperator::kIsInt:
      return negated ? "was int" : "was not int";
    case CmpOperator::kIsBool:
      return negated ? "was bool" : "was not bool";
    case CmpOperator::kIsNull:
      return negated ? "was null" : "was not null";
    default:
      return negated ? "was float" : "was not float";
  }
}

const char* BinaryFailText(CmpOperator op, bool negated) {
  switch (op) {
    case CmpOperator::kEq:
      return negated ? "equal to" : "not equal to";
    case CmpOperator::kLe:
      return negated ? "less than equal to" : "not less than equal to";
    case CmpOperator::kLt:
      return negated ? "less than" : "not less than";
    case CmpOperator::kGe:
      return negated ? "greater than equal to" : "not greater than equal";
    case CmpOperator::kGt:
      return negated ? "greater than" : "not greater than";
    default:
      return negated ? "in" : "not in";
  }
}

const Node* ValueOf(const QueryResult& q) {
  return q.kind == QueryResult::Kind::kUnresolved ? q.unresolved->traversed_to : q.value;
}

Out UnaryClause(Out check, std::string context, Out messages) {
  Out u = Out::Object();
  u.Add("check", std::move(check));
  u.Add("context", Out::Str(std::move(context)));
  u.Add("messages", std::move(messages));
  return Out::Variant("Clause", Out::Variant("Unary", std::move(u)));
}

Out BinaryClause(std::string context, Out messages, Out check) {
  Out b = Out::Object();
  b.Add("context", Out::Str(std::move(context)));
  b.Add("messages", std::move(messages));
  b.Add("check", std::move(check));
  return Out::Variant("Clause", Out::Variant("Binary", std::move(b)));
}

Out BlockOut(std::string context, Out messages, Out unresolved) {
  Out b = Out::Object();
  b.Add("context", Out::Str(std::move(context)));
  b.Add("messages", std::move(messages));
  b.Add("unresolved", std::move(unresolved));
  return Out::Variant("Block", std::move(b));
}

class ReportBuilder {
 public:
  explicit ReportBuilder(const Evaluation& ev) : ev_(ev), recs_(ev.records()) {}

  void FailedClauses(std::int32_t first, std::vector<Out>& clauses) const {
    for (std::int32_t i = first; i >= 0; i = recs_[i].next_sibling) Clause(recs_[i], clauses);
  }

 private:
  void Clause(const Record& r, std::vector<Out>& clauses) const {
    const bool fail = r.status == EvalStatus::kFail;
    switch (r.kind) {
      case RecordKind::kRuleCheck: {
        if (!fail) return;
        Out rule = Out::Object();
        rule.Add("name", Out::Str(std::string(r.name)));
        rule.Add("metadata", Out::Object());
        rule.Add("messages", Messages(OptStr(r.message), Out::Null()));
        Out checks = Out::Array();
        FailedClauses(r.first_child, checks.items);
        rule.Add("checks", std::move(checks));
        clauses.push_back(Out::Variant("Rule", std::move(rule)));
        return;
      }
      case RecordKind::kBlockGuardCheck:
        if (!fail) return;
        if (r.first_child < 0) {
          clauses.push_back(BlockOut(
              ev_.ContextText(r),
              Messages(Out::Null(), Out::Str("query for block clause did not retrieve any value")),
              Out::Null()));
        } else {
          FailedClauses(r.first_child, clauses);
        }
        return;
      case RecordKind::kDisjunction: {
        if (!fail) return;
        Out d = Out::Object();
        Out checks = Out::Array();
        FailedClauses(r.first_child, checks.items);
        d.Add("checks", std::move(checks));
        clauses.push_back(Out::Variant("Disjunctions", std::move(d)));
        return;
      }
      case RecordKind::kGuardClauseBlockCheck:
      case RecordKind::kTypeBlock:
      case RecordKind::kTypeCheck:
      case RecordKind::kWhenCheck:
        if (fail) FailedClauses(r.first_child, clauses);
        return;
      case RecordKind::kClauseValueCheck:
        ValueCheck(r, clauses);
        return;
      default:
        return;
    }
  }

  void ValueCheck(const Record& r, std::vector<Out>& clauses) const {
    const std::string context = ev_.ContextText(r);
    const std::string custom = r.custom_message ? *r.custom_message : std::string();
    switch (r.check) {
      case CheckKind::kSuccess:
        return;
      case CheckKind::kNoValueForEmptyCheck: {
        std::string c = custom;
        std::replace(c.begin(), c.end(), '\n', ';');
        clauses.push_back(UnaryClause(
            Out::Variant("UnResolvedContext", Out::Str(context)), context,
            Messages(Out::Str(c), Out::Str("Check was not compliant as variable in context [" +
                                           context + "] was not empty"))));
        return;
      }
      case CheckKind::kDependentRule:
        clauses.push_back(UnaryClause(
            Out::Variant("UnResolvedContext", Out::Str(std::string(r.name))), context,
            Messages(Out::Str(custom),
                     Out::Str("Check was not compliant as dependent rule [" + std::string(r.name) +
                              "] did not PASS. Context [" + context + "]"))));
        return;
      case CheckKind::kMissingBlockValue: {
        if (r.from.kind != QueryResult::Kind::kUnresolved) return;
        const Unresolved& u = *r.from.unresolved;
        clauses.push_back(
            BlockOut(context,
                     Messages(Out::Str(custom),
                              Out::Str("Check was not compliant as property [" + RemainingQuery(u) +
                                       "] is missing. Value traversed to [" +
                                       DisplayValue(*u.traversed_to) + "]")),
                     UnresolvedOut(u)));
        return;
      }
      case CheckKind::kUnary: {
        if (r.status != EvalStatus::kFail) return;
        const std::string err = r.message ? "Error = [" + *r.message + "]" : std::string();
        std::string message;
        Out check;
        if (r.from.kind == QueryResult::Kind::kUnresolved) {
          const Unresolved& u = *r.from.unresolved;
          message = "Check was not compliant as property [" + RemainingQuery(u) +
                    "] is missing. Value traversed to [" + DisplayValue(*u.traversed_to) + "]." +
                    err;
          check = Out::Variant("UnResolved", ValueUnresolvedOut(r, u));
        } else {
          message = "Check was not compliant as property [" + PathWithLocation(*r.from.value) +
                    "] " + UnaryFailText(r.op, r.op_negated) + "." + err;
          Out c = Out::Object();
          c.Add("value", PathValueOut(*r.from.value));
          c.Add("comparison", Comparison(r));
          check = Out::Variant("Resolved", std::move(c));
        }
        clauses.push_back(UnaryClause(
            std::move(check), context,
            Messages(Out::Str(custom), Out::Str(message),
                     r.from.kind == QueryResult::Kind::kUnresolved ? r.from.unresolved->traversed_to
                                                                   : nullptr)));
        return;
      }
      case CheckKind::kComparison: {
        if (r.status != EvalStatus::kFail) return;
        const std::string err = r.message ? " Error = [" + *r.message + "]" : std::string();
        if (r.from.kind == QueryResult::Kind::kUnresolved) {
          const Unresolved& u = *r.from.unresolved;
          clauses.push_back(BinaryClause(
              context,
              Messages(Out::Str(custom),
                       Out::Str("Check was not compliant as property [" + RemainingQuery(u) +
                                "] to compare from is missing. Value traversed to [" +
                                DisplayValue(*u.traversed_to) + "]." + err),
                       u.traversed_to),
              Out::Variant("UnResolved", ValueUnresolvedOut(r, u))));
          return;
        }
        if (!r.to) return;
        if (r.to->kind == QueryResult::Kind::kUnresolved) {
          const Unresolved& u = *r.to->unresolved;
          clauses.push_back(BinaryClause(
              context,
              Messages(Out::Str(custom),
                       Out::Str("Check was not compliant as property [" + RemainingQuery(u) +
                                "] to compare to is missing. Value traversed to [" +
                                DisplayValue(*u.traversed_to) + "]." + err),
                       u.traversed_to),
              Out::Variant("UnResolved", ValueUnresolvedOut(r, u))));
          return;
        }
        Out c = Out::Object();
        c.Add("from", PathValueOut(*r.from.value));
        c.Add("to", PathValueOut(*r.to->value));
        c.Add("comparison", Comparison(r));
        clauses.push_back(BinaryClause(
            context,
            Messages(
                Out::Str(custom),
                Out::Str("Check was not compliant as property value [" +
                         DisplayValue(*r.from.value) + "] " + BinaryFailText(r.op, r.op_negated) +
                         " value [" + DisplayValue(*r.to->value) + "]." + err),
                r.to->value),
            Out::Variant("Resolved", std::move(c))));
        return;
      }
      case CheckKind::kInComparison: {
        if (r.status != EvalStatus::kFail) return;
        const Node* from = ValueOf(r.from);
        Out c = Out::Object();
        c.Add("from", PathValueOut(*from));
        Out to = Out::Array();
        for (const QueryResult& q : r.to_list)
          if (q.kind == QueryResult::Kind::kResolved) to.Push(PathValueOut(*q.value));
        c.Add("to", std::move(to));
        c.Add("comparison", Comparison(r));
        clauses.push_back(BinaryClause(
            context,
            Messages(OptStr(r.custom_message),
                     Out::Str("Check was not compliant as property [" + PathWithLocation(*from) +
                              "] was not present in [" + SliceText(r.to_list) + "]"),
                     from),
            Out::Variant("InResolved", std::move(c))));
        return;
      }
    }
  }

  const Evaluation& ev_;
  const std::vector<Record>& recs_;
};

}  // namespace

void FileReport::Combine(FileReport other) {
  status = And(status, other.status);
  for (Out& o : other.not_compliant) not_compliant.push_back(std::move(o));
  compliant.merge(other.compliant);
  not_applicable.merge(other.not_applicable);
}

Out FileReport::ToOut() const {
  FileReport copy = *this;
  return copy.TakeOut();
}

Out FileReport::TakeOut() {
  Out o = Out::Object();
  o.Add("name", Out::Str(name));
  o.Add("metadata", Out::Object());
  o.Add("status", Out::Str(StatusName(status)));
  Out nc = Out::Array();
  nc.items = std::move(not_compliant);
  o.Add("not_compliant", std::move(nc));
  Out na = Out::Array();
  for (const auto& s : not_applicable) na.Push(Out::Str(s));
  o.Add("not_applicable", std::move(na));
  Out c = Out::Array();
  for (const auto& s : compliant) c.Push(Out::Str(s));
  o.Add("compliant", std::move(c));
  return o;
}

FileReport BuildFileReport(const Evaluation& ev, std::string_view name) {
  FileReport rep;
  rep.name = std::string(name);
  rep.status = ev.status();
  for (const RuleStatus& r : ev.rules()) {
    if (r.status == EvalStatus::kPass) rep.compliant.insert(std::string(r.name));
    if (r.status == EvalStatus::kSkip) rep.not_applicable.insert(std::string(r.name));
  }
  const Record* root = ev.root_record();
  if (!root) return rep;
  rep.name = std::string(root->name);
  rep.status = root->status;
  ReportBuilder(ev).FailedClauses(root->first_child, rep.not_compliant);
  return rep;
}

// --- Summary table --------------------------------------------------------------------------

namespace {

std::string_view ShortRuleName(std::string_view rules_file, std::string_view rule) {
  if (rule.size() > rules_file.size() && rule.substr(0, rules_file.size()) == rules_file &&
      rule[rules_file.size()] == '/')
    return rule.substr(rules_file.size() + 1);
  return rule;
}

// Rust's `{:<width$}` pads by characters, not bytes.
size_t CharCount(std::string_view s) {
  size_t n = 0;
  for (const char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace

std::string SummaryTable(const Evaluation& ev, std::string_view rules_file_name,
                         std::string_view data_file_name, unsigned show) {
  if (show == 0) return "";
  // IndexMaps keyed by rule name: the first position of a name, its last status.
  struct Part {
    std::vector<std::string_view> order;
    std::vector<EvalStatus> status;
    void Insert(std::string_view n, EvalStatus s) {
      for (size_t k = 0; k < order.size(); ++k)
        if (order[k] == n) {
          status[k] = s;
          return;
        }
      order.push_back(n);
      status.push_back(s);
    }
    bool Has(std::string_view n) const {
      return std::find(order.begin(), order.end(), n) != order.end();
    }
  };
  Part passed, failed, skipped;
  size_t longest = 0;
  for (const RuleStatus& r : ev.rules()) {
    (r.status == EvalStatus::kPass   ? passed
     : r.status == EvalStatus::kFail ? failed
                                     : skipped)
        .Insert(r.name, r.status);
    longest = std::max(longest, CharCount(ShortRuleName(rules_file_name, r.name)));
  }
  Part kept_skipped;
  for (size_t k = 0; k < skipped.order.size(); ++k)
    if (!passed.Has(skipped.order[k]) && !failed.Has(skipped.order[k]))
      kept_skipped.Insert(skipped.order[k], skipped.status[k]);

  std::string out;
  const std::string header =
      fmt::format("{} Status = {}\n", data_file_name, StatusName(ev.status()));
  bool wrote_header = false;
  auto section = [&](unsigned flag, const Part& part, const char* title) {
    if (!(show & flag) || part.order.empty()) return;
    if (!wrote_header) out += header;
    wrote_header = true;
    out += title;
    out += '\n';
    for (size_t k = 0; k < part.order.size(); ++k) {
      const std::string_view name = ShortRuleName(rules_file_name, part.order[k]);
      out += rules_file_name;
      out += '/';
      out += name;
      out.append(longest + 4 - std::min(longest + 4, CharCount(name)), ' ');
      out += StatusName(part.status[k]);
      out += '\n';
    }
  };
  section(kShowSkip, kept_skipped, "SKIP rules");
  section(kShowPass, passed, "PASS rules");
  section(kShowFail, failed, "FAILED rules");
  if (wrote_header) out += "---\n";
  return out;
}

const char* CmpText(CmpOperator op, bool negated) {
  switch (op) {
    case CmpOperator::kExists:
      return negated ? "NOT EXISTS" : "EXISTS";
    case CmpOperator::kEmpty:
      return negated ? "NOT EMPTY" : "EMPTY";
    case CmpOperator::kIsList:
      return negated ? "NOT LIST" : "IS LIST";
    case CmpOperator::kIsMap:
      return negated ? "NOT STRUCT" : "IS STRUCT";
    case CmpOperator::kIsString:
      return negated ? "NOT STRING" : "IS STRING";
    case CmpOperator::kIsFloat:
      return negated ? "NOT FLOAT" : "IS FLOAT";
    case CmpOperator::kIsNull:
      return negated ? "NOT NULL" : "IS NULL";
    case CmpOperator::kIsBool:
      return negated ? "NOT BOOL" : "IS BOOl";
    case CmpOperator::kIsInt:
      return negated ? "NOT INT" : "IS INT";
    case CmpOperator::kEq:
      return negated ? "NOT EQUAL" : "EQUAL";
    case CmpOperator::kLe:
      return negated ? "NOT LESS THAN EQUAL" : "LESS THAN EQUAL";
    case CmpOperator::kLt:
      return negated ? "NOT LESS THAN" : "LESS THAN";
    case CmpOperator::kGe:
      return negated ? "NOT GREATER THAN EQUAL" : "GREATER THAN EQUAL";
    case CmpOperator::kGt:
      return negated ? "NOT GREATER THAN" : "GREATER THAN";
    case CmpOperator::kIn:
      return negated ? "NOT IN" : "IN";
  }
  return "";
}

}  // namespace vigil::guard::report
