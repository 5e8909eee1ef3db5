#include "guard/ast_json.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "common/strings.h"
#include "json/writer.h"

namespace vigil::guard {
namespace {

std::string Utf8(char32_t c) {
  std::string out;
  AppendUtf8(out, c);
  return out;
}

class Dumper {
 public:
  explicit Dumper(const Source& source) : src_(source) {}

  std::string Run(const RulesFile& f) {
    w_.BeginObject();
    w_.Key("assignments").BeginArray();
    for (const auto& a : f.assignments) Let(a);
    w_.EndArray();
    w_.Key("guard_rules").BeginArray();
    for (const auto& r : f.rules) RuleObj(r);
    w_.EndArray();
    w_.Key("parameterized_rules").BeginArray();
    for (const auto& p : f.parameterized_rules) {
      w_.BeginObject();
      w_.Key("parameter_names").BeginArray();
      for (const auto& n : p.parameters) w_.String(n);
      w_.EndArray();
      w_.Key("rule");
      RuleObj(p.rule);
      w_.EndObject();
    }
    w_.EndArray();
    w_.EndObject();
    return w_.Take();
  }

 private:
  void Location(const Span& s) {
    w_.Key("location").BeginObject();
    w_.Field("line", static_cast<std::int64_t>(s.line));
    w_.Field("column", static_cast<std::int64_t>(s.column));
    w_.EndObject();
  }

  template <typename T>
  static std::string Range(const Range<T>& r, std::string lower, std::string upper) {
    return std::string(r.lower_inclusive ? "[" : "(") + lower + "," + upper +
           (r.upper_inclusive ? "]" : ")");
  }

  void Json(const Value& v) {
    switch (v.kind) {
      case Value::Kind::kNull:
        w_.Null();
        break;
      case Value::Kind::kString:
        w_.String(v.text);
        break;
      case Value::Kind::kRegex:
        w_.String("/" + v.text + "/");
        break;
      case Value::Kind::kBool:
        w_.Bool(v.boolean);
        break;
      case Value::Kind::kInt:
        w_.Int(v.integer);
        break;
      case Value::Kind::kFloat:
        w_.Double(v.number);
        break;
      case Value::Kind::kChar:
        w_.String(Utf8(v.character));
        break;
      case Value::Kind::kList:
        w_.BeginArray();
        for (const auto& e : v.list) Json(e);
        w_.EndArray();
        break;
      case Value::Kind::kMap:
        w_.BeginObject();
        for (const auto& e : v.map) {
          w_.Key(e.key);
          Json(e.value);
        }
        w_.EndObject();
        break;
      case Value::Kind::kRangeInt:
        w_.String(Range(v.int_range, std::to_string(v.int_range.lower),
                        std::to_string(v.int_range.upper)));
        break;
      case Value::Kind::kRangeFloat:
        w_.String(Range(v.float_range, RustDisplay(v.float_range.lower),
                        RustDisplay(v.float_range.upper)));
        break;
      case Value::Kind::kRangeChar:
        w_.String(Range(v.char_range, Utf8(v.char_range.lower), Utf8(v.char_range.upper)));
        break;
    }
  }

  void LetVal(const LetValue& v) {
    w_.BeginObject();
    if (const auto* value = std::get_if<Value>(&v.v)) {
      w_.Key("Value").BeginObject().Field("path", "").Key("value");
      Json(*value);
      w_.EndObject();
    } else if (const auto* q = std::get_if<AccessQuery>(&v.v)) {
      w_.Key("AccessClause");
      Query(*q);
    } else {
      w_.Key("FunctionCall");
      Function(std::get<FunctionCall>(v.v));
    }
    w_.EndObject();
  }

  void Function(const FunctionCall& f) {
    w_.BeginObject();
    w_.Key("parameters").BeginArray();
    for (const auto& a : f.arguments) LetVal(a);
    w_.EndArray();
    w_.Field("name", f.name);
    w_.Key("location").BeginObject();
    w_.Field("line", static_cast<std::int64_t>(f.span.line));
    w_.Field("column", static_cast<std::int64_t>(src_.Locate(f.span.begin).byte_column));
    w_.EndObject();
    w_.EndObject();
  }

  void Let(const LetExpr& l) {
    w_.BeginObject();
    w_.Field("var", l.name);
    w_.Key("value");
    LetVal(l.value);
    w_.EndObject();
  }

  void OptName(const std::optional<std::string>& n) {
    if (n)
      w_.String(*n);
    else
      w_.Null();
  }

  void Part(const QueryPart& p) {
    using K = QueryPart::Kind;
    if (p.kind == K::kThis) {
      w_.String("This");
      return;
    }
    w_.BeginObject();
    switch (p.kind) {
      case K::kThis:
        break;
      case K::kKey:
        w_.Field("Key", p.name);
        break;
      case K::kVariable:
        w_.Field("Key", "%" + p.name);
        break;
      case K::kAllValues:
        w_.Key("AllValues");
        OptName(p.capture);
        break;
      case K::kAllIndices:
        w_.Key("AllIndices");
        OptName(p.capture);
        break;
      case K::kIndex:
        w_.Field("Index", static_cast<std::int64_t>(p.index));
        break;
      case K::kFilter:
        w_.Key("Filter").BeginArray();
        OptName(p.capture);
        Conj(p.filter);
        w_.EndArray();
        break;
      case K::kMapKeyFilter:
        w_.Key("MapKeyFilter").BeginArray();
        OptName(p.capture);
        w_.BeginObject();
        Cmp(p.key_filter.at(0).comparator);
        w_.Key("compare_with");
        LetVal(*p.key_filter.at(0).compare_with);
        w_.EndObject();
        w_.EndArray();
        break;
    }
    w_.EndObject();
  }

  void Parts(const std::vector<QueryPart>& parts) {
    w_.BeginArray();
    for (const auto& p : parts) Part(p);
    w_.EndArray();
  }

  void Query(const AccessQuery& q) {
    w_.BeginObject();
    w_.Key("query");
    Parts(q.parts);
    w_.Field("match_all", q.match_all);
    w_.EndObject();
  }

  void Cmp(const Comparator& c) {
    w_.Key("comparator").BeginArray().String(CfnGuardName(c.op)).Bool(c.negated).EndArray();
  }

  void OptMessage(const std::optional<std::string>& m) {
    w_.Key("custom_message");
    OptName(m);
  }

  void Access(const AccessClause& c) {
    w_.BeginObject();
    w_.Key("access_clause").BeginObject();
    w_.Key("query");
    Query(c.query);
    Cmp(c.comparator);
    w_.Key("compare_with");
    if (c.compare_with)
      LetVal(*c.compare_with);
    else
      w_.Null();
    OptMessage(c.custom_message);
    Location(c.span);
    w_.EndObject();
    w_.Field("negation", c.negated);
    w_.EndObject();
  }

  void Named(const NamedRuleRef& r) {
    w_.BeginObject();
    w_.Field("dependent_rule", r.rule_name);
    w_.Field("negation", r.negated);
    OptMessage(r.custom_message);
    Location(r.span);
    w_.EndObject();
  }

  void NamedVariant(const NamedRuleRef& r) {
    if (!r.parameterized) {
      w_.Key("NamedRule");
      Named(r);
      return;
    }
    w_.Key("ParameterizedNamedRule").BeginObject();
    w_.Key("parameters").BeginArray();
    for (const auto& a : r.arguments) LetVal(a);
    w_.EndArray();
    w_.Key("named_rule");
    Named(r);
    w_.EndObject();
  }

  template <typename T, typename F>
  void BlockObj(const Block<T>& b, F each) {
    w_.BeginObject();
    w_.Key("assignments").BeginArray();
    for (const auto& a : b.assignments) Let(a);
    w_.EndArray();
    w_.Key("conjunctions").BeginArray();
    for (const auto& d : b.conjunctions) {
      w_.BeginArray();
      for (const auto& c : d) each(c);
      w_.EndArray();
    }
    w_.EndArray();
    w_.EndObject();
  }

  void Conj(const Conjunctions& c) {
    w_.BeginArray();
    for (const auto& d : c) {
      w_.BeginArray();
      for (const auto& g : d) Guard(g);
      w_.EndArray();
    }
    w_.EndArray();
  }

  void When(const WhenConditions& conds) {
    w_.BeginArray();
    for (const auto& d : conds) {
      w_.BeginArray();
      for (const auto& c : d) {
        w_.BeginObject();
        if (const auto* a = std::get_if<AccessClause>(&c.v)) {
          w_.Key("Clause");
          Access(*a);
        } else {
          NamedVariant(std::get<NamedRuleRef>(c.v));
        }
        w_.EndObject();
      }
      w_.EndArray();
    }
    w_.EndArray();
  }

  void WhenPair(const WhenBlock& wb) {
    w_.Key("WhenBlock").BeginArray();
    When(wb.conditions);
    BlockObj(wb.block, [this](const GuardClause& g) { Guard(g); });
    w_.EndArray();
  }

  void Guard(const GuardClause& g) {
    w_.BeginObject();
    if (const auto* a = std::get_if<AccessClause>(&g.v)) {
      w_.Key("Clause");
      Access(*a);
    } else if (const auto* r = std::get_if<NamedRuleRef>(&g.v)) {
      NamedVariant(*r);
    } else if (const auto* b = std::get_if<BlockClause>(&g.v)) {
      w_.Key("BlockClause").BeginObject();
      w_.Key("query");
      Query(b->query);
      w_.Key("block");
      BlockObj(b->block, [this](const GuardClause& c) { Guard(c); });
      Location(b->span);
      w_.Field("not_empty", b->not_empty);
      w_.EndObject();
    } else {
      WhenPair(std::get<WhenBlock>(g.v));
    }
    w_.EndObject();
  }

  void RuleClauseObj(const RuleClause& c) {
    w_.BeginObject();
    if (const auto* g = std::get_if<GuardClause>(&c.v)) {
      w_.Key("Clause");
      Guard(*g);
    } else if (const auto* wb = std::get_if<WhenBlock>(&c.v)) {
      WhenPair(*wb);
    } else {
      const auto& t = std::get<TypeBlock>(c.v);
      w_.Key("TypeBlock").BeginObject();
      w_.Field("type_name", t.type_name);
      w_.Key("conditions");
      if (t.conditions)
        When(*t.conditions);
      else
        w_.Null();
      w_.Key("block");
      BlockObj(t.block, [this](const GuardClause& g) { Guard(g); });
      w_.Key("query");
      Parts(t.query);
      w_.EndObject();
    }
    w_.EndObject();
  }

  void RuleObj(const Rule& r) {
    w_.BeginObject();
    w_.Field("rule_name", r.name);
    w_.Key("conditions");
    if (r.conditions)
      When(*r.conditions);
    else
      w_.Null();
    w_.Key("block");
    BlockObj(r.block, [this](const RuleClause& c) { RuleClauseObj(c); });
    w_.EndObject();
  }

  const Source& src_;
  json::Writer w_;
};

}  // namespace

std::string RustDisplay(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string s(buf, res.ptr);
  std::string sign;
  if (s[0] == '-') {
    sign = "-";
    s.erase(0, 1);
  }
  const size_t e = s.find('e');
  const int exp = std::atoi(s.c_str() + e + 1);
  std::string digits;
  for (size_t i = 0; i < e; ++i)
    if (s[i] != '.') digits += s[i];
  // digits = d1 d2 d3 …, value = 0.d1d2d3… × 10^(exp+1)
  const int point = exp + 1;
  std::string out;
  if (point <= 0) {
    out = "0." + std::string(static_cast<size_t>(-point), '0') + digits;
  } else if (static_cast<size_t>(point) >= digits.size()) {
    out = digits + std::string(static_cast<size_t>(point) - digits.size(), '0');
  } else {
    out = digits.substr(0, static_cast<size_t>(point)) + "." +
          digits.substr(static_cast<size_t>(point));
  }
  return sign + out;
}

std::string DumpCfnGuardJson(const RulesFile& file, const Source& source) {
  return Dumper(source).Run(file);
}

}  // namespace vigil::guard
