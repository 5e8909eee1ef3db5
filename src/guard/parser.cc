#include "guard/parser.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <unordered_map>
#include <utility>

#include "guard/lexer.h"

namespace vigil::guard {
namespace {

using u32 = std::uint32_t;

// nom's three outcomes: success, a recoverable error (the caller may try something else) and a
// failure (a `cut`: parsing stops).
enum class R { kOk, kErr, kFail };

bool IsSpaceOrTab(char c) { return c == ' ' || c == '\t'; }

const char* const kOperatorExpectation =
    "a comparison operator (==, !=, <, <=, >, >=, in, not in, exists, empty, is_string, "
    "is_list, is_struct, is_bool, is_int, is_float, is_null)";

class Parser {
 public:
  explicit Parser(const Source& source) : src_(source), lex_(source.text()) {}

  std::optional<RulesFile> Run(Diagnostic* error);

 private:
  // ---- bookkeeping -----------------------------------------------------------------------

  Span MakeSpan(u32 begin, u32 end) const {
    const LineColumn lc = src_.Locate(begin);
    return Span{begin, std::max(begin, end), lc.line, lc.column};
  }

  // Records that `what` would have been accepted at p (for the diagnostic).
  void Expect(u32 p, std::string what) {
    if (p > far_) {
      far_ = p;
      expected_.clear();
    }
    if (p == far_ && std::find(expected_.begin(), expected_.end(), what) == expected_.end())
      expected_.push_back(std::move(what));
  }

  // Replaces what inner parsers expected at p by one `label`, when they got no further than p.
  struct LabelMark {
    u32 far;
    size_t count;
  };
  LabelMark Mark() const { return {far_, expected_.size()}; }
  void Label(const LabelMark& m, u32 p, const char* label) {
    if (far_ != p) return;
    if (m.far == p)
      expected_.resize(std::min(expected_.size(), m.count));
    else
      expected_.clear();
    Expect(p, label);
  }

  R Fail(u32 p, std::string message) {
    fail_pos_ = p;
    fail_message_ = std::move(message);
    return R::kFail;
  }

  // RAII nesting counter.
  struct Depth {
    explicit Depth(int& d) : d_(d) { ++d_; }
    ~Depth() { --d_; }
    bool TooDeep() const { return d_ > kMaxDepth; }
    int& d_;
  };

  // ---- lexical helpers -------------------------------------------------------------------

  u32 Ws(u32 p) const { return lex_.Trivia(p); }

  R Char(u32 p, char c, u32& out) {
    if (lex_.At(p) == c && !lex_.AtEnd(p)) {
      out = p + 1;
      return R::kOk;
    }
    Expect(p, std::string("'") + c + "'");
    return R::kErr;
  }
  R WsChar(u32 p, char c, u32& out) { return Char(Ws(p), c, out); }

  R Tag(u32 p, std::string_view t, u32& out) {
    if (lex_.StartsWith(p, t)) {
      out = p + static_cast<u32>(t.size());
      return R::kOk;
    }
    Expect(p, "'" + std::string(t) + "'");
    return R::kErr;
  }
  // Either spelling (cfn-guard accepts keywords in lower or upper case, nothing in between).
  R Tag2(u32 p, std::string_view lower, std::string_view upper, u32& out) {
    if (lex_.StartsWith(p, lower)) {
      out = p + static_cast<u32>(lower.size());
      return R::kOk;
    }
    if (lex_.StartsWith(p, upper)) {
      out = p + static_cast<u32>(upper.size());
      return R::kOk;
    }
    Expect(p, "'" + std::string(lower) + "'");
    return R::kErr;
  }

  // one_or_more_ws_or_comment
  R Ws1(u32 p, u32& out) {
    const u32 q = Ws(p);
    if (q == p) {
      Expect(p, "whitespace");
      return R::kErr;
    }
    out = q;
    return R::kOk;
  }

  R VarName(u32 p, u32& out, std::string& name) {
    Token t = lex_.Name(p);
    if (!t.ok()) {
      Expect(p, "a name");
      return R::kErr;
    }
    out = t.end;
    name = std::move(t.text);
    return R::kOk;
  }

  // '%' var_name
  R VarNameAccess(u32 p, u32& out, std::string& name) {
    if (lex_.At(p) != '%' || lex_.AtEnd(p)) {
      Expect(p, "'%'");
      return R::kErr;
    }
    return VarName(p + 1, out, name);
  }

  R StringLit(u32 p, u32& out, std::string& s) {
    Token t = lex_.String(p);
    if (t.status == ScanStatus::kMalformed) return Fail(p, t.error);
    if (!t.ok()) {
      Expect(p, "a string");
      return R::kErr;
    }
    out = t.end;
    s = std::move(t.text);
    return R::kOk;
  }

  R IntLit(u32 p, u32& out, std::int64_t& v) {
    const Token t = lex_.Int(p);
    if (!t.ok()) {
      Expect(p, "an integer");
      return R::kErr;
    }
    out = t.end;
    v = t.integer;
    return R::kOk;
  }

  // not = ("not" | "NOT") 1*(SP/TAB) | "!"
  R Not(u32 p, u32& out) {
    for (std::string_view kw : {"not", "NOT"}) {
      if (lex_.StartsWith(p, kw) && IsSpaceOrTab(lex_.At(p + 3))) {
        out = lex_.Space0(p + 3);
        return R::kOk;
      }
    }
    if (lex_.At(p) == '!' && !lex_.AtEnd(p)) {
      out = p + 1;
      return R::kOk;
    }
    Expect(p, "'not'");
    return R::kErr;
  }

  // ---- values ------------------------------------------------------------------------------

  R ParseValue(u32 p, u32& out, Value& v);
  R Scalar(u32 p, u32& out, Value& v);
  R RangeLit(u32 p, u32& out, Value& v);
  R RangeBound(u32 p, u32& out, Value& v);
  R ListLit(u32 p, u32& out, Value& v);
  R MapLit(u32 p, u32& out, Value& v);

  // ---- queries -----------------------------------------------------------------------------

  R Access(u32 p, u32& out, AccessQuery& q);
  R AccessUncached(u32 p, u32& out, AccessQuery& q);
  R PropertyName(u32 p, u32& out, std::string& name);
  R DottedAccess(u32 p, u32& out, std::vector<QueryPart>& parts);
  R DottedProperty(u32 p, u32& out, QueryPart& part);
  R PredicateOrIndex(u32 p, u32& out, QueryPart& part);
  R OpenArray(u32 p, u32& out) { return WsChar(p, '[', out); }
  R CloseArray(u32 p, u32& out) { return WsChar(p, ']', out); }
  R VariableCapture(u32 p, u32& out, std::string& name);
  R ValueCmp(u32 p, u32& out, Comparator& c);
  R CustomMessage(u32 p, u32& out, std::string& message);
  R OptMessage(u32 p, u32& out, std::optional<std::string>& message);

  // ---- clauses -----------------------------------------------------------------------------

  R LetValueP(u32 p, u32& out, LetValue& v);
  R CallExpr(u32 p, u32& out, std::string& name, std::vector<LetValue>& args);
  R FunctionExpr(u32 p, u32& out, FunctionCall& f);
  R ClauseWithAccess(u32 p, u32& out, AccessClause& c);
  R BlockClauseP(u32 p, u32& out, BlockClause& b);
  R ParamRuleCall(u32 p, u32& out, NamedRuleRef& r);
  R RuleRef(u32 p, u32& out, NamedRuleRef& r);
  R ClauseP(u32 p, u32& out, GuardClause& c);
  R ClauseOrRuleRef(u32 p, u32& out, GuardClause& c);
  R WhenCond(u32 p, u32& out, WhenCondition& c);
  R SingleClauses(u32 p, u32& out, WhenConditions& conds);
  R WhenConditionsP(u32 p, u32& out, WhenConditions& conds);
  R OrJoin(u32 p, u32& out);
  R Assignment(u32 p, u32& out, LetExpr& let);

  // separated_nonempty_list(or_join, preceded(ws, f))
  template <typename T, typename F>
  R Disjunctions(u32 p, u32& out, std::vector<T>& items, F f) {
    T item;
    u32 e;
    R r = f(Ws(p), e, item);
    if (r != R::kOk) return r;
    items.push_back(std::move(item));
    u32 q = e;
    for (;;) {
      u32 s;
      if (OrJoin(q, s) != R::kOk) break;
      T next;
      r = f(Ws(s), e, next);
      if (r == R::kFail) return r;
      if (r == R::kErr) break;
      items.push_back(std::move(next));
      q = e;
    }
    out = q;
    return R::kOk;
  }

  // cnf_clauses: one or more disjunctions; none at all is a failure.
  template <typename T, typename F>
  R Cnf(u32 p, u32& out, std::vector<std::vector<T>>& conj, F f) {
    u32 rest = p;
    for (;;) {
      std::vector<T> disj;
      u32 e;
      const R r = Disjunctions(rest, e, disj, f);
      if (r == R::kFail) return r;
      if (r == R::kErr) {
        if (conj.empty()) return Fail(p, "");
        out = rest;
        return R::kOk;
      }
      conj.push_back(std::move(disj));
      rest = e;
    }
  }

  // block: '{' 1*(assignment / disjunction) '}'
  template <typename T, typename F>
  R BlockP(u32 p, u32& out, Block<T>& block, F f) {
    u32 q;
    if (WsChar(p, '{', q) != R::kOk) return R::kErr;
    bool any = false;
    for (;;) {
      LetExpr let;
      u32 e;
      R r = Assignment(Ws(q), e, let);
      if (r == R::kFail) return r;
      if (r == R::kOk) {
        block.assignments.push_back(std::move(let));
        q = e;
        any = true;
        continue;
      }
      std::vector<T> disj;
      r = Disjunctions(q, e, disj, f);
      if (r == R::kFail) return r;
      if (r == R::kErr) break;
      block.conjunctions.push_back(std::move(disj));
      q = e;
      any = true;
    }
    if (!any) return R::kErr;
    u32 e;
    if (WsChar(q, '}', e) != R::kOk) return Fail(Ws(q), "");
    out = e;
    return R::kOk;
  }

  R WhenBlockP(u32 p, u32& out, WhenBlock& w, bool body_may_reference_rules);
  R TypeName(u32 p, u32& out, std::string& name);
  R TypeBlockP(u32 p, u32& out, TypeBlock& t);
  R RuleBlockClause(u32 p, u32& out, RuleClause& c);
  R RuleBlock(u32 p, u32& out, Rule& rule);
  R ParameterizedRuleBlock(u32 p, u32& out, ParameterizedRule& rule);

  const Source& src_;
  Lexer lex_;
  u32 far_ = 0;
  std::vector<std::string> expected_;
  u32 fail_pos_ = 0;
  std::string fail_message_;
  int depth_ = 0;
  struct AccessMemo {
    R r;
    u32 out;
    AccessQuery query;
    u32 fail_pos;
    std::string fail_message;
  };
  std::unordered_map<u32, AccessMemo> access_memo_;
};

// ---- values --------------------------------------------------------------------------------

R Parser::ParseValue(u32 p, u32& out, Value& v) {
  Depth depth(depth_);
  const u32 q = Ws(p);
  if (depth.TooDeep()) return Fail(q, "nesting too deep");
  const LabelMark mark = Mark();
  u32 e;
  if (Tag2(q, "null", "NULL", e) == R::kOk) {
    v = Value{};
    v.kind = Value::Kind::kNull;
    v.span = MakeSpan(q, e);
    out = e;
    return R::kOk;
  }
  R r = Scalar(q, out, v);
  if (r != R::kErr) return r;
  r = RangeLit(q, out, v);
  if (r != R::kErr) return r;
  r = ListLit(q, out, v);
  if (r != R::kErr) return r;
  r = MapLit(q, out, v);
  if (r != R::kErr) return r;
  Label(mark, q, "a value");
  return R::kErr;
}

R Parser::Scalar(u32 p, u32& out, Value& v) {
  v = Value{};
  std::string s;
  u32 e;
  R r = StringLit(p, e, s);
  if (r == R::kFail) return r;
  if (r == R::kOk) {
    v.kind = Value::Kind::kString;
    v.text = std::move(s);
    v.span = MakeSpan(p, e);
    out = e;
    return R::kOk;
  }
  if (Token t = lex_.Float(p); t.ok()) {
    v.kind = Value::Kind::kFloat;
    v.number = t.number;
    v.span = MakeSpan(p, t.end);
    out = t.end;
    return R::kOk;
  }
  std::int64_t i;
  if (IntLit(p, e, i) == R::kOk) {
    v.kind = Value::Kind::kInt;
    v.integer = i;
    v.span = MakeSpan(p, e);
    out = e;
    return R::kOk;
  }
  for (auto [word, value] :
       {std::pair{"true", true}, {"True", true}, {"false", false}, {"False", false}}) {
    if (lex_.StartsWith(p, word)) {
      v.kind = Value::Kind::kBool;
      v.boolean = value;
      out = p + static_cast<u32>(std::string_view(word).size());
      v.span = MakeSpan(p, out);
      return R::kOk;
    }
  }
  Token t = lex_.Regex(p);
  if (t.ok()) {
    v.kind = Value::Kind::kRegex;
    v.text = std::move(t.text);
    v.span = MakeSpan(p, t.end);
    out = t.end;
    return R::kOk;
  }
  if (!t.error.empty())
    Expect(p, "a valid regular expression (" + t.error + ")");
  else
    Expect(p, "a value");
  return R::kErr;
}

// range_value = *SP (float / int / any char) *SP
R Parser::RangeBound(u32 p, u32& out, Value& v) {
  const u32 q = lex_.Space0(p);
  v = Value{};
  u32 e;
  if (Token t = lex_.Float(q); t.ok()) {
    v.kind = Value::Kind::kFloat;
    v.number = t.number;
    e = t.end;
  } else if (Token i = lex_.Int(q); i.ok()) {
    v.kind = Value::Kind::kInt;
    v.integer = i.integer;
    e = i.end;
  } else if (Token c = lex_.AnyChar(q); c.ok()) {
    v.kind = Value::Kind::kChar;
    v.character = c.character;
    e = c.end;
  } else {
    Expect(q, "a range bound");
    return R::kErr;
  }
  out = lex_.Space0(e);
  return R::kOk;
}

// range = "r" ("(" / "[") bound "," bound (")" / "]")
R Parser::RangeLit(u32 p, u32& out, Value& v) {
  if (lex_.At(p) != 'r' || lex_.AtEnd(p)) return R::kErr;
  const char open = lex_.At(p + 1);
  if (open != '(' && open != '[') {
    Expect(p + 1, "'[' or '(' (a range)");
    return R::kErr;
  }
  Value lower, upper;
  u32 q, e;
  if (RangeBound(p + 2, q, lower) != R::kOk) return R::kErr;
  if (Char(q, ',', e) != R::kOk) return R::kErr;
  if (RangeBound(e, q, upper) != R::kOk) return R::kErr;
  const char close = lex_.At(q);
  if ((close != ')' && close != ']') || lex_.AtEnd(q)) {
    Expect(q, "']' or ')'");
    return R::kErr;
  }
  e = q + 1;
  v = Value{};
  v.span = MakeSpan(p, e);
  RangeBounds bounds{open == '[', close == ']'};
  if (lower.kind == Value::Kind::kInt && upper.kind == Value::Kind::kInt) {
    v.kind = Value::Kind::kRangeInt;
    static_cast<RangeBounds&>(v.int_range) = bounds;
    v.int_range.lower = lower.integer;
    v.int_range.upper = upper.integer;
  } else if (lower.kind == Value::Kind::kFloat && upper.kind == Value::Kind::kFloat) {
    v.kind = Value::Kind::kRangeFloat;
    static_cast<RangeBounds&>(v.float_range) = bounds;
    v.float_range.lower = lower.number;
    v.float_range.upper = upper.number;
  } else if (lower.kind == Value::Kind::kChar && upper.kind == Value::Kind::kChar) {
    v.kind = Value::Kind::kRangeChar;
    static_cast<RangeBounds&>(v.char_range) = bounds;
    v.char_range.lower = lower.character;
    v.char_range.upper = upper.character;
  } else {
    return Fail(p, "a range's bounds must both be integers, both floats or both characters");
  }
  out = e;
  return R::kOk;
}

// list = "[" [value *("," value)] "]"
R Parser::ListLit(u32 p, u32& out, Value& v) {
  u32 q;
  if (WsChar(p, '[', q) != R::kOk) return R::kErr;
  const u32 begin = q - 1;
  std::vector<Value> items;
  Value item;
  u32 e;
  R r = ParseValue(q, e, item);
  if (r == R::kFail) return r;
  if (r == R::kOk) {
    items.push_back(std::move(item));
    q = e;
    for (;;) {
      u32 s;
      if (WsChar(q, ',', s) != R::kOk) break;
      r = ParseValue(s, e, item);
      if (r == R::kFail) return r;
      if (r == R::kErr) break;
      items.push_back(std::move(item));
      q = e;
    }
  }
  if (WsChar(q, ']', e) != R::kOk) return R::kErr;
  v = Value{};
  v.kind = Value::Kind::kList;
  v.list = std::move(items);
  v.span = MakeSpan(begin, e);
  out = e;
  return R::kOk;
}

// map = "{" [key ":" value *("," key ":" value)] "}"
R Parser::MapLit(u32 p, u32& out, Value& v) {
  u32 q;
  if (Char(p, '{', q) != R::kOk) return R::kErr;
  std::vector<MapEntry> entries;
  auto key_value = [&](u32 at, u32& end, MapEntry& kv) -> R {
    const u32 k = Ws(at);
    u32 e;
    if (Token t = lex_.KeyPart(k); t.ok()) {
      kv.key = std::move(t.text);
      e = t.end;
    } else {
      const R r = StringLit(k, e, kv.key);
      if (r != R::kOk) {
        if (r == R::kErr) Expect(k, "a map key");
        return r;
      }
    }
    u32 c;
    if (WsChar(e, ':', c) != R::kOk) return R::kErr;
    return ParseValue(c, end, kv.value);
  };
  auto add = [&](MapEntry&& kv) {
    for (auto& existing : entries) {
      if (existing.key == kv.key) {
        existing.value = std::move(kv.value);
        return;
      }
    }
    entries.push_back(std::move(kv));
  };
  MapEntry kv;
  u32 e;
  R r = key_value(q, e, kv);
  if (r == R::kFail) return r;
  if (r == R::kOk) {
    add(std::move(kv));
    q = e;
    for (;;) {
      u32 s;
      if (WsChar(q, ',', s) != R::kOk) break;
      kv = {};
      r = key_value(s, e, kv);
      if (r == R::kFail) return r;
      if (r == R::kErr) break;
      add(std::move(kv));
      q = e;
    }
  }
  if (WsChar(q, '}', e) != R::kOk) return R::kErr;
  v = Value{};
  v.kind = Value::Kind::kMap;
  v.map = std::move(entries);
  v.span = MakeSpan(p, e);
  out = e;
  return R::kOk;
}

// ---- queries -------------------------------------------------------------------------------

QueryPart MakeKeyPart(std::string name, Span span) {
  QueryPart part;
  part.span = span;
  // cfn-guard stores `%x` as Key("%x") and treats any key starting with '%' as a variable.
  if (!name.empty() && name[0] == '%') {
    part.kind = QueryPart::Kind::kVariable;
    part.name = name.substr(1);
  } else {
    part.kind = QueryPart::Kind::kKey;
    part.name = std::move(name);
  }
  return part;
}

R Parser::PropertyName(u32 p, u32& out, std::string& name) {
  if (VarName(p, out, name) == R::kOk) return R::kOk;
  return StringLit(p, out, name);
}

R Parser::Access(u32 p, u32& out, AccessQuery& q) {
  if (auto it = access_memo_.find(p); it != access_memo_.end()) {
    const AccessMemo& m = it->second;
    if (m.r == R::kOk) {
      out = m.out;
      q = m.query;
    } else if (m.r == R::kFail) {
      fail_pos_ = m.fail_pos;
      fail_message_ = m.fail_message;
    }
    return m.r;
  }
  AccessMemo m;
  m.r = AccessUncached(p, m.out, m.query);
  m.fail_pos = fail_pos_;
  m.fail_message = fail_message_;
  if (m.r == R::kOk) {
    out = m.out;
    q = m.query;
  }
  const R r = m.r;
  access_memo_.emplace(p, std::move(m));
  return r;
}

// access = ["some"] ("this" / "%" var_name / property_name) *(dotted_property / [ … ])
R Parser::AccessUncached(u32 p, u32& out, AccessQuery& q) {
  Depth depth(depth_);
  if (depth.TooDeep()) return Fail(p, "nesting too deep");
  const LabelMark mark = Mark();
  q = AccessQuery{};
  u32 at = p;
  {
    const u32 s = Ws(p);
    u32 e, w;
    if (Tag2(s, "some", "SOME", e) == R::kOk && Ws1(e, w) == R::kOk) {
      q.match_all = false;
      at = w;
    }
  }
  QueryPart first;
  u32 e;
  const u32 t = Ws(at);
  if (Tag2(t, "this", "THIS", e) == R::kOk) {
    first.kind = QueryPart::Kind::kThis;
    first.span = MakeSpan(t, e);
  } else {
    std::string name;
    if (VarNameAccess(at, e, name) == R::kOk) {
      first = MakeKeyPart("%" + name, MakeSpan(at, e));
    } else {
      const R r = PropertyName(at, e, name);
      if (r == R::kFail) return r;
      if (r == R::kErr) {
        Label(mark, at, "a query");
        return R::kErr;
      }
      first = MakeKeyPart(std::move(name), MakeSpan(at, e));
    }
  }
  std::vector<QueryPart> rest;
  u32 d;
  const R r = DottedAccess(e, d, rest);
  if (r == R::kFail) return r;
  const bool variable = first.kind == QueryPart::Kind::kVariable;
  q.parts.push_back(std::move(first));
  if (r == R::kOk) {
    e = d;
    if (variable && rest[0].kind != QueryPart::Kind::kAllIndices) {
      QueryPart all;
      all.kind = QueryPart::Kind::kAllIndices;
      all.implicit = true;
      all.span = MakeSpan(q.parts[0].span.end, q.parts[0].span.end);
      all.span.line = 0;
      q.parts.push_back(std::move(all));
    }
    for (auto& part : rest) q.parts.push_back(std::move(part));
  }
  q.span = MakeSpan(p, e);
  out = e;
  return R::kOk;
}

R Parser::DottedAccess(u32 p, u32& out, std::vector<QueryPart>& parts) {
  u32 q = p;
  for (;;) {
    QueryPart part;
    u32 e;
    R r = DottedProperty(q, e, part);
    if (r == R::kErr) r = PredicateOrIndex(q, e, part);
    if (r == R::kFail) return r;
    if (r == R::kErr) break;
    parts.push_back(std::move(part));
    q = e;
  }
  if (parts.empty()) return R::kErr;
  out = q;
  return R::kOk;
}

// "." (int / property_name / "%" var_name / "*")
R Parser::DottedProperty(u32 p, u32& out, QueryPart& part) {
  const u32 dot = Ws(p);
  u32 q;
  if (Char(dot, '.', q) != R::kOk) return R::kErr;
  std::int64_t i;
  u32 e;
  if (IntLit(q, e, i) == R::kOk) {
    part.kind = QueryPart::Kind::kIndex;
    part.index = static_cast<std::int32_t>(i);
    part.span = MakeSpan(q, e);
    out = e;
    return R::kOk;
  }
  std::string name;
  R r = PropertyName(q, e, name);
  if (r == R::kFail) return r;
  if (r == R::kOk) {
    part = MakeKeyPart(std::move(name), MakeSpan(q, e));
    out = e;
    return R::kOk;
  }
  if (VarNameAccess(q, e, name) == R::kOk) {
    part = MakeKeyPart("%" + name, MakeSpan(q, e));
    out = e;
    return R::kOk;
  }
  if (Char(q, '*', e) == R::kOk) {
    part.kind = QueryPart::Kind::kAllValues;
    part.span = MakeSpan(q, e);
    out = e;
    return R::kOk;
  }
  return R::kErr;
}

// var_name *SP "|", after optional whitespace
R Parser::VariableCapture(u32 p, u32& out, std::string& name) {
  u32 e;
  if (VarName(Ws(p), e, name) != R::kOk) return R::kErr;
  return Char(lex_.Space0(e), '|', out);
}

R Parser::PredicateOrIndex(u32 p, u32& out, QueryPart& part) {
  u32 open;
  if (OpenArray(p, open) != R::kOk) return R::kErr;
  const u32 begin = open - 1;
  u32 e, c;
  // [*] or [name]
  {
    const u32 star = Ws(open);
    std::string name;
    bool matched = false;
    if (Char(star, '*', e) == R::kOk) {
      matched = true;
    } else if (VarName(open, e, name) == R::kOk) {
      matched = true;
      part.capture = name;
    }
    if (matched && CloseArray(e, c) == R::kOk) {
      part.kind = QueryPart::Kind::kAllIndices;
      part.span = MakeSpan(begin, c);
      out = c;
      return R::kOk;
    }
    part.capture.reset();
  }
  // [N]
  {
    std::int64_t i;
    if (IntLit(open, e, i) == R::kOk) {
      if (CloseArray(e, c) != R::kOk) return Fail(Ws(e), "");
      part.kind = QueryPart::Kind::kIndex;
      part.index = static_cast<std::int32_t>(i);
      part.span = MakeSpan(begin, c);
      out = c;
      return R::kOk;
    }
  }
  // ["key"] or [ name ]
  {
    std::string s;
    const R r = StringLit(open, e, s);
    if (r == R::kFail) return r;
    bool matched = false;
    if (r == R::kOk) {
      part = MakeKeyPart(std::move(s), Span{});
      matched = true;
    } else if (VarName(Ws(open), e, s) == R::kOk) {
      e = Ws(e);
      part.kind = QueryPart::Kind::kAllValues;
      part.capture = std::move(s);
      matched = true;
    }
    if (matched && CloseArray(e, c) == R::kOk) {
      part.span = MakeSpan(begin, c);
      out = c;
      return R::kOk;
    }
    part = QueryPart{};
  }
  // [ [name |] keys (==|!=|in|not in) value-or-query ]
  {
    std::optional<std::string> capture;
    u32 q = open;
    std::string name;
    if (VariableCapture(open, e, name) == R::kOk) {
      capture = std::move(name);
      q = e;
    }
    const u32 k = Ws(q);
    if (Tag2(k, "keys", "KEYS", e) == R::kOk) {
      MapKeyFilter filter;
      const u32 op = Ws(e);
      if (Tag(op, "==", e) == R::kOk) {
        filter.comparator = {CmpOperator::kEq, false};
      } else if (Tag(op, "!=", e) == R::kOk) {
        filter.comparator = {CmpOperator::kEq, true};
      } else if (Tag2(op, "in", "IN", e) == R::kOk) {
        filter.comparator = {CmpOperator::kIn, false};
      } else if (u32 n; Not(op, n) == R::kOk && Tag2(n, "in", "IN", e) == R::kOk) {
        filter.comparator = {CmpOperator::kIn, true};
      } else {
        Expect(op, "==, !=, in or not in (after keys)");
        return Fail(op, "");
      }
      Value value;
      R r = ParseValue(e, c, value);
      if (r == R::kFail) return r;
      if (r == R::kOk) {
        filter.compare_with = LetValue{std::move(value)};
      } else {
        AccessQuery query;
        r = Access(Ws(Ws(e)), c, query);
        if (r == R::kFail) return r;
        if (r == R::kErr) {
          Expect(Ws(e), "a value or a query");
          return Fail(Ws(e), "");
        }
        filter.compare_with = LetValue{std::move(query)};
      }
      if (CloseArray(c, e) != R::kOk) return R::kErr;
      part.kind = QueryPart::Kind::kMapKeyFilter;
      part.capture = std::move(capture);
      part.key_filter.push_back(std::move(filter));
      part.span = MakeSpan(begin, e);
      out = e;
      return R::kOk;
    }
  }
  // [ [name |] clauses ]
  {
    std::optional<std::string> capture;
    u32 q = open;
    std::string name;
    if (VariableCapture(open, e, name) == R::kOk) {
      capture = std::move(name);
      q = e;
    }
    Conjunctions filter;
    const R r = Cnf(q, e, filter,
                    [this](u32 at, u32& end, GuardClause& cl) { return ClauseP(at, end, cl); });
    if (r != R::kOk) return r;
    if (CloseArray(e, c) != R::kOk) return Fail(Ws(e), "");
    part.kind = QueryPart::Kind::kFilter;
    part.capture = std::move(capture);
    part.filter = std::move(filter);
    part.span = MakeSpan(begin, c);
    out = c;
    return R::kOk;
  }
}

R Parser::ValueCmp(u32 p, u32& out, Comparator& c) {
  const LabelMark mark = Mark();
  if (lex_.StartsWith(p, "<<")) {
    Label(mark, p, kOperatorExpectation);
    return R::kErr;
  }
  static constexpr std::pair<std::string_view, Comparator> kSymbols[] = {
      {"==", {CmpOperator::kEq, false}}, {"!=", {CmpOperator::kEq, true}},
      {">=", {CmpOperator::kGe, false}}, {"<=", {CmpOperator::kLe, false}},
      {">", {CmpOperator::kGt, false}},  {"<", {CmpOperator::kLt, false}},
  };
  for (const auto& [spelling, cmp] : kSymbols) {
    if (lex_.StartsWith(p, spelling)) {
      c = cmp;
      out = p + static_cast<u32>(spelling.size());
      return R::kOk;
    }
  }
  static constexpr std::pair<std::string_view, CmpOperator> kWords[] = {
      {"in", CmpOperator::kIn},          {"exists", CmpOperator::kExists},
      {"empty", CmpOperator::kEmpty},    {"is_string", CmpOperator::kIsString},
      {"is_list", CmpOperator::kIsList}, {"is_struct", CmpOperator::kIsMap},
      {"is_bool", CmpOperator::kIsBool}, {"is_int", CmpOperator::kIsInt},
      {"is_null", CmpOperator::kIsNull}, {"is_float", CmpOperator::kIsFloat},
  };
  u32 q = p;
  bool negated = false;
  if (u32 n; Not(p, n) == R::kOk) {
    q = n;
    negated = true;
  }
  for (const auto& [word, op] : kWords) {
    std::string upper(word);
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (lex_.StartsWith(q, word) || lex_.StartsWith(q, upper)) {
      c = {op, negated};
      out = q + static_cast<u32>(word.size());
      return R::kOk;
    }
  }
  Label(mark, p, kOperatorExpectation);
  if (far_ == q && q != p) Expect(q, kOperatorExpectation);
  return R::kErr;
}

R Parser::CustomMessage(u32 p, u32& out, std::string& message) {
  if (!lex_.StartsWith(p, "<<")) {
    Expect(p, "a custom message (<< … >>)");
    return R::kErr;
  }
  const u32 q = p + 2;
  const size_t end = lex_.text().find(">>", q);
  if (end == std::string_view::npos) return Fail(p, "missing closing '>>' for this message");
  message = std::string(lex_.text().substr(q, end - q));
  out = static_cast<u32>(end) + 2;
  return R::kOk;
}

// preceded(ws, opt(custom_message)): the whitespace is consumed either way.
R Parser::OptMessage(u32 p, u32& out, std::optional<std::string>& message) {
  const u32 q = Ws(p);
  std::string m;
  u32 e;
  const R r = CustomMessage(q, e, m);
  if (r == R::kFail) return r;
  if (r == R::kOk) {
    message = std::move(m);
    out = e;
  } else {
    out = q;
  }
  return R::kOk;
}

// ---- clauses -------------------------------------------------------------------------------

// let_value = value / function call / query
R Parser::LetValueP(u32 p, u32& out, LetValue& v) {
  Depth depth(depth_);
  const u32 q = Ws(p);
  if (depth.TooDeep()) return Fail(q, "nesting too deep");
  Value value;
  R r = ParseValue(q, out, value);
  if (r != R::kErr) {
    if (r == R::kOk) v.v = std::move(value);
    return r;
  }
  FunctionCall call;
  r = FunctionExpr(q, out, call);
  if (r != R::kErr) {
    if (r == R::kOk) v.v = std::move(call);
    return r;
  }
  AccessQuery query;
  r = Access(q, out, query);
  if (r == R::kOk) v.v = std::move(query);
  return r;
}

// call = var_name "(" let_value *("," let_value) ")"; everything after "(" is committed.
R Parser::CallExpr(u32 p, u32& out, std::string& name, std::vector<LetValue>& args) {
  u32 q;
  if (VarName(p, q, name) != R::kOk) return R::kErr;
  if (Char(q, '(', q) != R::kOk) return R::kErr;
  for (;;) {
    LetValue arg;
    u32 e;
    const R r = LetValueP(lex_.Multispace0(q), e, arg);
    if (r == R::kFail) return r;
    if (r == R::kErr) {
      Expect(Ws(lex_.Multispace0(q)), "an argument (a value, a query or a function call)");
      return Fail(lex_.Multispace0(q), "");
    }
    args.push_back(std::move(arg));
    q = lex_.Multispace0(e);
    u32 s;
    if (Char(q, ',', s) != R::kOk) break;
    q = s;
  }
  u32 e;
  if (Char(q, ')', e) != R::kOk) return Fail(q, "");
  out = e;
  return R::kOk;
}

R Parser::FunctionExpr(u32 p, u32& out, FunctionCall& f) {
  f = FunctionCall{};
  const R r = CallExpr(p, out, f.name, f.arguments);
  if (r == R::kOk) f.span = MakeSpan(p, out);
  return r;
}

// clause = [not] access op [rhs] [message]
R Parser::ClauseWithAccess(u32 p, u32& out, AccessClause& c) {
  c = AccessClause{};
  u32 q = Ws(p);
  if (u32 n; Not(q, n) == R::kOk) {
    c.negated = true;
    q = n;
  }
  u32 e;
  R r = Access(q, e, c.query);
  if (r != R::kOk) return r;
  const u32 op = Ws(e);
  r = ValueCmp(op, e, c.comparator);
  if (r != R::kOk) return r;
  u32 end = e;
  if (IsUnary(c.comparator.op)) {
    r = OptMessage(e, out, c.custom_message);
    if (r != R::kOk) return r;
    if (c.custom_message) end = out;
    c.span = MakeSpan(p, end);
    return R::kOk;
  }
  const LabelMark mark = Mark();
  Value value;
  r = ParseValue(e, end, value);
  if (r == R::kFail) return r;
  if (r == R::kOk) {
    c.compare_with = LetValue{std::move(value)};
  } else {
    const u32 rhs = Ws(e);
    FunctionCall call;
    r = FunctionExpr(rhs, end, call);
    if (r == R::kFail) return r;
    if (r == R::kOk) {
      c.compare_with = LetValue{std::move(call)};
    } else {
      AccessQuery query;
      r = Access(rhs, end, query);
      if (r == R::kFail) return r;
      if (r == R::kErr) {
        Label(mark, rhs, "a value, a query or a function call");
        return Fail(rhs, "");
      }
      c.compare_with = LetValue{std::move(query)};
    }
  }
  r = OptMessage(end, out, c.custom_message);
  if (r != R::kOk) return r;
  if (c.custom_message) end = out;
  c.span = MakeSpan(p, end);
  return R::kOk;
}

// block_clause = access [not empty] block(clause)
R Parser::BlockClauseP(u32 p, u32& out, BlockClause& b) {
  b = BlockClause{};
  u32 e;
  R r = Access(p, e, b.query);
  if (r != R::kOk) return r;
  {
    u32 n, m;
    if (Not(Ws(e), n) == R::kOk && Tag2(n, "empty", "EMPTY", m) == R::kOk) {
      b.not_empty = true;
      e = m;
    }
  }
  r = BlockP(e, out, b.block,
             [this](u32 at, u32& end, GuardClause& c) { return ClauseP(at, end, c); });
  if (r == R::kOk) b.span = MakeSpan(p, out);
  return r;
}

// [not] name(args) [message]
R Parser::ParamRuleCall(u32 p, u32& out, NamedRuleRef& ref) {
  ref = NamedRuleRef{};
  u32 q = p;
  if (u32 n; Not(p, n) == R::kOk) {
    ref.negated = true;
    q = n;
  }
  u32 e;
  const R r = CallExpr(q, e, ref.rule_name, ref.arguments);
  if (r != R::kOk) return r;
  ref.parameterized = true;
  u32 end = e;
  std::string message;
  const R m = CustomMessage(Ws(e), end, message);
  if (m == R::kFail) return m;
  if (m == R::kOk) ref.custom_message = std::move(message);
  ref.span = MakeSpan(p, end);
  out = end;
  return R::kOk;
}

// [not] rule_name, then end of line, a comment, '{', `or`, end of file, or a message.
R Parser::RuleRef(u32 p, u32& out, NamedRuleRef& ref) {
  ref = NamedRuleRef{};
  u32 q = p;
  if (u32 n; Not(p, n) == R::kOk) {
    ref.negated = true;
    q = n;
  }
  u32 e;
  if (VarName(q, e, ref.rule_name) != R::kOk) return R::kErr;
  const u32 s = lex_.Space0(e);
  u32 ignored;
  const bool ends = lex_.AtEnd(e) || lex_.At(s) == '\n' || lex_.StartsWith(s, "\r\n") ||
                    (lex_.At(s) == '#' && !lex_.AtEnd(s)) ||
                    (lex_.At(s) == '{' && !lex_.AtEnd(s)) || OrJoin(e, ignored) == R::kOk;
  if (!ends) {
    std::string message;
    u32 m;
    const R r = CustomMessage(s, m, message);
    if (r == R::kFail) return r;
    if (r == R::kErr) {
      Expect(s, "end of line");
      return Fail(s, "");
    }
    ref.custom_message = std::move(message);
    e = m;
  }
  ref.span = MakeSpan(p, e);
  out = e;
  return R::kOk;
}

// clause = when_block / block_clause / parameterized rule call / access clause
R Parser::ClauseP(u32 p, u32& out, GuardClause& c) {
  Depth depth(depth_);
  if (depth.TooDeep()) return Fail(p, "nesting too deep");
  const LabelMark mark = Mark();
  {
    WhenBlock w;
    const R r = WhenBlockP(p, out, w, false);
    if (r == R::kFail) return r;
    if (r == R::kOk) {
      c.v = std::move(w);
      return r;
    }
  }
  {
    BlockClause b;
    const R r = BlockClauseP(p, out, b);
    if (r == R::kFail) return r;
    if (r == R::kOk) {
      c.v = std::move(b);
      return r;
    }
  }
  {
    NamedRuleRef ref;
    const R r = ParamRuleCall(p, out, ref);
    if (r == R::kFail) return r;
    if (r == R::kOk) {
      c.v = std::move(ref);
      return r;
    }
  }
  AccessClause a;
  const R r = ClauseWithAccess(p, out, a);
  if (r == R::kOk) c.v = std::move(a);
  if (r == R::kErr) Label(mark, p, "a clause");
  return r;
}

R Parser::ClauseOrRuleRef(u32 p, u32& out, GuardClause& c) {
  const R r = ClauseP(p, out, c);
  if (r != R::kErr) return r;
  NamedRuleRef ref;
  const R rr = RuleRef(p, out, ref);
  if (rr == R::kOk) c.v = std::move(ref);
  return rr;
}

// A condition of `when`: access clause / parameterized rule call / rule reference.
R Parser::WhenCond(u32 p, u32& out, WhenCondition& c) {
  {
    AccessClause a;
    const R r = ClauseWithAccess(p, out, a);
    if (r == R::kFail) return r;
    if (r == R::kOk) {
      c.v = std::move(a);
      return r;
    }
  }
  NamedRuleRef ref;
  R r = ParamRuleCall(p, out, ref);
  if (r == R::kErr) r = RuleRef(p, out, ref);
  if (r == R::kOk) c.v = std::move(ref);
  return r;
}

R Parser::SingleClauses(u32 p, u32& out, WhenConditions& conds) {
  return Cnf(p, out, conds,
             [this](u32 at, u32& end, WhenCondition& c) { return WhenCond(at, end, c); });
}

// "when" 1*(ws/comment) conditions; everything after `when` is committed.
R Parser::WhenConditionsP(u32 p, u32& out, WhenConditions& conds) {
  u32 q;
  if (Tag2(Ws(p), "when", "WHEN", q) != R::kOk) return R::kErr;
  u32 s;
  if (Ws1(q, s) != R::kOk) return Fail(q, "");
  const R r = SingleClauses(s, out, conds);
  if (r == R::kErr) return Fail(s, "");
  return r;
}

R Parser::OrJoin(u32 p, u32& out) {
  const u32 q = Ws(p);
  u32 e;
  if (lex_.StartsWith(q, "or") || lex_.StartsWith(q, "OR")) {
    e = q + 2;
  } else if (lex_.StartsWith(q, "|OR|")) {
    e = q + 4;
  } else {
    Expect(q, "'or'");
    return R::kErr;
  }
  return Ws1(e, out);
}

// "let" 1*(ws/comment) var_name ("=" / ":=") (value / function call / query)
R Parser::Assignment(u32 p, u32& out, LetExpr& let) {
  let = LetExpr{};
  u32 q;
  if (Tag(p, "let", q) != R::kOk) return R::kErr;
  if (Ws1(q, q) != R::kOk) return R::kErr;
  if (VarName(q, q, let.name) != R::kOk) return R::kErr;
  const u32 eq = Ws(q);
  if (Tag(eq, "=", q) != R::kOk && Tag(eq, ":=", q) != R::kOk) return Fail(eq, "");
  Value value;
  R r = ParseValue(q, out, value);
  if (r == R::kFail) return r;
  if (r == R::kOk) {
    let.value.v = std::move(value);
  } else {
    const u32 rhs = Ws(q);
    const LabelMark mark = Mark();
    FunctionCall call;
    r = FunctionExpr(rhs, out, call);
    if (r == R::kOk) {
      let.value.v = std::move(call);
    } else {
      // cfn-guard ignores how the function call failed, even past its '(', and reads a query.
      AccessQuery query;
      r = Access(rhs, out, query);
      if (r == R::kFail) return r;
      if (r == R::kErr) {
        Label(mark, rhs, "a value, a query or a function call");
        return Fail(rhs, "");
      }
      let.value.v = std::move(query);
    }
  }
  let.span = MakeSpan(p, out);
  return R::kOk;
}

R Parser::WhenBlockP(u32 p, u32& out, WhenBlock& w, bool body_may_reference_rules) {
  w = WhenBlock{};
  const u32 q = Ws(p);
  u32 e;
  R r = WhenConditionsP(q, e, w.conditions);
  if (r != R::kOk) return r;
  if (body_may_reference_rules)
    r = BlockP(e, out, w.block,
               [this](u32 at, u32& end, GuardClause& c) { return ClauseOrRuleRef(at, end, c); });
  else
    r = BlockP(e, out, w.block,
               [this](u32 at, u32& end, GuardClause& c) { return ClauseP(at, end, c); });
  if (r == R::kOk) w.span = MakeSpan(q, out);
  return r;
}

// type_name = name "::" name "::" name ["::MODULE"] / name "::" name
R Parser::TypeName(u32 p, u32& out, std::string& name) {
  std::string a, b, c;
  u32 q, e;
  if (VarName(p, q, a) != R::kOk) return R::kErr;
  if (Tag(q, "::", q) != R::kOk) return R::kErr;
  if (VarName(q, q, b) != R::kOk) return R::kErr;
  if (Tag(q, "::", e) == R::kOk && VarName(e, e, c) == R::kOk) {
    if (lex_.StartsWith(e, "::MODULE")) e += 8;
    name = a + "::" + b + "::" + c;
    out = e;
    return R::kOk;
  }
  name = a + "::" + b;
  out = q;
  return R::kOk;
}

// type_block = type_name 1*(ws/comment) [when] (block(clause) / clause)
R Parser::TypeBlockP(u32 p, u32& out, TypeBlock& t) {
  t = TypeBlock{};
  u32 q;
  if (TypeName(p, q, t.type_name) != R::kOk) return R::kErr;
  if (Ws1(q, q) != R::kOk) return Fail(q, "");
  auto clause = [this](u32 at, u32& end, GuardClause& c) { return ClauseP(at, end, c); };
  WhenConditions conds;
  u32 e;
  R r = WhenConditionsP(q, e, conds);
  if (r == R::kFail) return r;
  if (r == R::kOk) {
    t.conditions = std::move(conds);
    r = BlockP(e, out, t.block, clause);
    if (r == R::kErr) return Fail(Ws(e), "");
    if (r == R::kFail) return r;
  } else {
    r = BlockP(q, out, t.block, clause);
    if (r == R::kFail) return r;
    if (r == R::kErr) {
      t.block = {};
      GuardClause single;
      r = ClauseP(Ws(q), out, single);
      if (r == R::kFail) return r;
      if (r == R::kErr) return Fail(Ws(q), "");
      t.block.conjunctions.push_back({std::move(single)});
    }
  }
  t.span = MakeSpan(p, out);
  // Resources.*[ Type == '<type>' ], located where the type name is.
  const Span at = MakeSpan(p, q);
  QueryPart resources;
  resources.kind = QueryPart::Kind::kKey;
  resources.name = "Resources";
  QueryPart all;
  all.kind = QueryPart::Kind::kAllValues;
  AccessClause type_is;
  type_is.span = at;
  QueryPart type_key;
  type_key.kind = QueryPart::Kind::kKey;
  type_key.name = "Type";
  type_is.query.parts.push_back(std::move(type_key));
  Value name;
  name.kind = Value::Kind::kString;
  name.text = t.type_name;
  type_is.compare_with = LetValue{std::move(name)};
  QueryPart filter;
  filter.kind = QueryPart::Kind::kFilter;
  filter.filter.push_back({GuardClause{std::move(type_is)}});
  t.query = {std::move(resources), std::move(all), std::move(filter)};
  return R::kOk;
}

// In a rule: type block / when block (body may reference rules) / clause / rule reference.
R Parser::RuleBlockClause(u32 p, u32& out, RuleClause& c) {
  const u32 q = Ws(p);
  {
    TypeBlock t;
    const R r = TypeBlockP(q, out, t);
    if (r == R::kFail) return r;
    if (r == R::kOk) {
      c.v = std::move(t);
      return r;
    }
  }
  {
    WhenBlock w;
    const R r = WhenBlockP(q, out, w, true);
    if (r == R::kFail) return r;
    if (r == R::kOk) {
      c.v = std::move(w);
      return r;
    }
  }
  GuardClause g;
  const R r = ClauseOrRuleRef(q, out, g);
  if (r == R::kOk) c.v = std::move(g);
  return r;
}

// "rule" 1*(ws/comment) name [when conditions] block
R Parser::RuleBlock(u32 p, u32& out, Rule& rule) {
  rule = Rule{};
  const u32 begin = Ws(p);
  u32 q;
  if (Tag(begin, "rule", q) != R::kOk) return R::kErr;
  if (Ws1(q, q) != R::kOk) return R::kErr;
  if (VarName(q, q, rule.name) != R::kOk) return Fail(q, "");
  WhenConditions conds;
  u32 e;
  R r = WhenConditionsP(q, e, conds);
  if (r == R::kFail) return r;
  if (r == R::kOk) {
    rule.conditions = std::move(conds);
    q = e;
  }
  r = BlockP(q, out, rule.block,
             [this](u32 at, u32& end, RuleClause& c) { return RuleBlockClause(at, end, c); });
  if (r == R::kErr) return Fail(Ws(q), "");
  if (r == R::kOk) rule.span = MakeSpan(begin, out);
  return r;
}

// "rule" 1*(ws/comment) name "(" name *("," name) ")" block
R Parser::ParameterizedRuleBlock(u32 p, u32& out, ParameterizedRule& prule) {
  prule = ParameterizedRule{};
  const u32 begin = Ws(p);
  u32 q;
  if (Tag(begin, "rule", q) != R::kOk) return R::kErr;
  if (Ws1(q, q) != R::kOk) return R::kErr;
  if (VarName(q, q, prule.rule.name) != R::kOk) return Fail(q, "");
  if (Char(q, '(', q) != R::kOk) return R::kErr;
  for (;;) {
    std::string name;
    u32 e;
    if (VarName(lex_.Multispace0(q), e, name) != R::kOk) return Fail(lex_.Multispace0(q), "");
    if (std::find(prule.parameters.begin(), prule.parameters.end(), name) == prule.parameters.end())
      prule.parameters.push_back(std::move(name));
    q = lex_.Multispace0(e);
    u32 s;
    if (Char(q, ',', s) != R::kOk) break;
    q = s;
  }
  if (Char(q, ')', q) != R::kOk) return Fail(q, "");
  const R r = BlockP(q, out, prule.rule.block, [this](u32 at, u32& end, RuleClause& c) {
    return RuleBlockClause(at, end, c);
  });
  if (r == R::kErr) return Fail(Ws(q), "");
  if (r == R::kOk) prule.rule.span = MakeSpan(begin, out);
  return r;
}

std::optional<RulesFile> Parser::Run(Diagnostic* error) {
  const std::string_view text = lex_.text();
  auto report = [&](u32 pos, std::string message) -> std::optional<RulesFile> {
    if (error) {
      const LineColumn lc = src_.Locate(pos);
      error->offset = pos;
      error->line = lc.line;
      error->column = lc.column;
      error->message = std::move(message);
    }
    return std::nullopt;
  };
  if (const size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos)
    return report(static_cast<u32>(bad), "the file is not valid UTF-8");
  if (text.size() >= 0xFFFFFFF0u) return report(0, "the file is too large (4 GiB or more)");

  RulesFile file;
  u32 q = Ws(0);
  if (q == text.size()) {
    file.empty = true;
    return file;
  }
  std::vector<std::vector<RuleClause>> defaults;
  R r = R::kOk;
  for (;;) {
    const u32 s = Ws(q);
    const LabelMark mark = Mark();
    u32 e = s;
    r = R::kErr;
    if (s < text.size()) {
      LetExpr let;
      r = Assignment(s, e, let);
      if (r == R::kOk) file.assignments.push_back(std::move(let));
      if (r == R::kErr) {
        ParameterizedRule prule;
        r = ParameterizedRuleBlock(s, e, prule);
        if (r == R::kOk) file.parameterized_rules.push_back(std::move(prule));
      }
      if (r == R::kErr) {
        Rule rule;
        r = RuleBlock(s, e, rule);
        if (r == R::kOk) file.rules.push_back(std::move(rule));
      }
      if (r == R::kErr) {
        std::vector<TypeBlock> types;
        r = Disjunctions(s, e, types,
                         [this](u32 at, u32& end, TypeBlock& t) { return TypeBlockP(at, end, t); });
        if (r == R::kOk) {
          std::vector<RuleClause> disj;
          for (auto& t : types) disj.push_back(RuleClause{std::move(t)});
          defaults.push_back(std::move(disj));
        }
      }
      if (r == R::kErr) {
        WhenBlock w;
        r = WhenBlockP(s, e, w, true);
        if (r == R::kOk) defaults.push_back({RuleClause{std::move(w)}});
      }
      if (r == R::kErr) {
        Disjunction clauses;
        r = Disjunctions(s, e, clauses,
                         [this](u32 at, u32& end, GuardClause& c) { return ClauseP(at, end, c); });
        if (r == R::kOk) {
          std::vector<RuleClause> disj;
          for (auto& c : clauses) disj.push_back(RuleClause{std::move(c)});
          defaults.push_back(std::move(disj));
        }
      }
    } else {
      Expect(s, "a rule, a let, a clause or a when block");
    }
    if (r == R::kFail) break;
    if (r == R::kErr) {
      Label(mark, s, "a rule, a let, a clause or a when block");
      break;
    }
    q = Ws(e);
    if (q == text.size()) break;
  }

  if (r != R::kOk || q != text.size()) {
    u32 pos = far_;
    std::string message;
    if (r == R::kFail && !fail_message_.empty() && fail_pos_ >= far_) {
      pos = fail_pos_;
      message = fail_message_;
    } else {
      if (r == R::kFail && fail_pos_ > far_) pos = fail_pos_;
      std::string found = "end of file";
      if (pos < text.size()) {
        std::uint32_t len;
        lex_.Decode(pos, len);
        std::string_view ch = text.substr(pos, len);
        found = ch == "\n" ? "end of line" : ch == "\r" ? "'\\r'" : "'" + std::string(ch) + "'";
      }
      std::string list;
      if (pos == far_) {
        for (size_t i = 0; i < expected_.size(); ++i) {
          if (i > 0) list += i + 1 == expected_.size() ? " or " : ", ";
          list += expected_[i];
        }
      }
      message = list.empty() ? "unexpected " + found : "expected " + list + ", found " + found;
    }
    if (error) error->expected = pos == far_ ? expected_ : std::vector<std::string>{};
    return report(pos, std::move(message));
  }

  if (!defaults.empty()) {
    Rule rule;
    rule.name = "default";
    rule.is_default = true;
    rule.block.conjunctions = std::move(defaults);
    file.rules.insert(file.rules.begin(), std::move(rule));
  }
  return file;
}

}  // namespace

bool IsUnary(CmpOperator op) {
  switch (op) {
    case CmpOperator::kEq:
    case CmpOperator::kIn:
    case CmpOperator::kGt:
    case CmpOperator::kLt:
    case CmpOperator::kLe:
    case CmpOperator::kGe:
      return false;
    default:
      return true;
  }
}

const char* CfnGuardName(CmpOperator op) {
  switch (op) {
    case CmpOperator::kEq:
      return "Eq";
    case CmpOperator::kIn:
      return "In";
    case CmpOperator::kGt:
      return "Gt";
    case CmpOperator::kLt:
      return "Lt";
    case CmpOperator::kLe:
      return "Le";
    case CmpOperator::kGe:
      return "Ge";
    case CmpOperator::kExists:
      return "Exists";
    case CmpOperator::kEmpty:
      return "Empty";
    case CmpOperator::kIsString:
      return "IsString";
    case CmpOperator::kIsList:
      return "IsList";
    case CmpOperator::kIsMap:
      return "IsMap";
    case CmpOperator::kIsBool:
      return "IsBool";
    case CmpOperator::kIsInt:
      return "IsInt";
    case CmpOperator::kIsNull:
      return "IsNull";
    case CmpOperator::kIsFloat:
      return "IsFloat";
  }
  return "?";
}

Span LetValue::span() const {
  return std::visit([](const auto& x) { return x.span; }, v);
}

Span GuardClause::span() const {
  return std::visit([](const auto& x) { return x.span; }, v);
}

std::optional<RulesFile> Parse(const Source& source, Diagnostic* error) {
  Parser parser(source);
  return parser.Run(error);
}

Result<RulesFile> Parse(const Source& source) {
  Diagnostic d;
  auto file = Parse(source, &d);
  if (!file) return Status::Error(Format(source, d));
  return std::move(*file);
}

}  // namespace vigil::guard
