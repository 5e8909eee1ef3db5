// Unit tests of the Guard lexer, parser and diagnostics: the AST of every construct, and syntax
// errors with their exact positions. (Agreement with cfn-guard on whole corpora is in
// parser_corpus_test.cc.)
#include "guard/parser.h"

#include <gtest/gtest.h>

#include "guard/ast_json.h"
#include "guard/lexer.h"

namespace vigil::guard {
namespace {

RulesFile MustParse(const std::string& text) {
  Source src("t.guard", text);
  Diagnostic d;
  auto f = Parse(src, &d);
  if (!f) {
    ADD_FAILURE() << Format(src, d);
    return {};
  }
  return std::move(*f);
}

Diagnostic MustFail(const std::string& text) {
  Source src("t.guard", text);
  Diagnostic d;
  auto f = Parse(src, &d);
  EXPECT_FALSE(f.has_value()) << "parsed: " << text;
  return d;
}

// The first clause of the default rule.
const GuardClause& FirstClause(const RulesFile& f) {
  return std::get<GuardClause>(f.rules.at(0).block.conjunctions.at(0).at(0).v);
}
const AccessClause& FirstAccess(const RulesFile& f) {
  return std::get<AccessClause>(FirstClause(f).v);
}
const Value& LetLiteral(const RulesFile& f, size_t i = 0) {
  return std::get<Value>(f.assignments.at(i).value.v);
}

// ---- lexer -----------------------------------------------------------------------------------

TEST(GuardLexer, Names) {
  Lexer lex(
      "abc_1 _x 1a ärger a\xc3\xa4"
      "b");
  EXPECT_EQ(lex.Name(0).text, "abc_1");
  EXPECT_FALSE(lex.Name(6).ok());   // '_' cannot start a name
  EXPECT_FALSE(lex.Name(9).ok());   // nor a digit
  EXPECT_FALSE(lex.Name(12).ok());  // nor a non-ASCII letter
  EXPECT_EQ(lex.Name(19).text,
            "a\xc3\xa4"
            "b");  // but one may follow
}

TEST(GuardLexer, Strings) {
  EXPECT_EQ(Lexer("'a\\'b'").String(0).text, "a'b");
  EXPECT_EQ(Lexer("\"a\\nb\"").String(0).text, "a\\nb");  // no other escapes
  EXPECT_EQ(Lexer("'it''").String(0).text, "it");
  EXPECT_EQ(Lexer("'abc").String(0).status, ScanStatus::kMalformed);
  EXPECT_EQ(Lexer("'abc\\").String(0).status, ScanStatus::kNoMatch);
}

TEST(GuardLexer, Numbers) {
  EXPECT_EQ(Lexer("42").Int(0).integer, 42);
  EXPECT_EQ(Lexer("-42").Int(0).integer, -42);
  EXPECT_FALSE(Lexer("9223372036854775808").Int(0).ok());
  EXPECT_EQ(Lexer("-9223372036854775807").Int(0).integer, -9223372036854775807);
  EXPECT_DOUBLE_EQ(Lexer("1.5").Float(0).number, 1.5);
  EXPECT_DOUBLE_EQ(Lexer("2e+3").Float(0).number, 2000);
  EXPECT_DOUBLE_EQ(Lexer("1.5e5").Float(0).number, 150000);  // exponent sign optional here
  EXPECT_FALSE(Lexer("1e5").Float(0).ok());                  // but needed without a fraction
  EXPECT_FALSE(Lexer("1.5e").Float(0).ok());
  EXPECT_FALSE(Lexer("-1.5").Float(0).ok());
  EXPECT_FALSE(Lexer("1.").Float(0).ok());
  EXPECT_EQ(Lexer("1.5.3").Float(0).end, 3u);
}

TEST(GuardLexer, Regexes) {
  EXPECT_EQ(Lexer("/a\\/b/").Regex(0).text, "a/b");
  EXPECT_EQ(Lexer("/(?i)x/").Regex(0).text, "(?i)x");
  EXPECT_TRUE(Lexer("/(?<=a)b(?!c)/").Regex(0).ok());  // fancy-regex look-around
  EXPECT_TRUE(Lexer("/(a)\\1/").Regex(0).ok());
  EXPECT_FALSE(Lexer("/\\1(a)/").Regex(0).ok());  // back-reference before its group
  EXPECT_FALSE(Lexer("//").Regex(0).ok());
  EXPECT_FALSE(Lexer("/[/").Regex(0).ok());
  EXPECT_FALSE(Lexer("/a\\//").Regex(0).ok());  // nothing may follow an escaped final slash
}

TEST(GuardLexer, TriviaAndUtf8) {
  Lexer lex("  # c\n\t# d\n x");
  EXPECT_EQ(lex.Trivia(0), 12u);
  EXPECT_EQ(FindInvalidUtf8("ok \xc3\xa4"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("ok \xc3"), 3u);
  EXPECT_EQ(FindInvalidUtf8("\xed\xa0\x80"), 0u);  // a surrogate
  EXPECT_TRUE(IsAlphanumeric(U'\u00e9'));
  EXPECT_TRUE(IsAlphanumeric(U'\u65e5'));
  EXPECT_FALSE(IsAlphanumeric(U'\u00a0'));
  EXPECT_FALSE(IsAlphanumeric(U'\u2014'));
}

// ---- literals --------------------------------------------------------------------------------

TEST(GuardParser, Literals) {
  const RulesFile f = MustParse(
      "let a = 'x'\nlet b = 10\nlet c = -3\nlet d = 1.5\nlet e = True\nlet g = NULL\n"
      "let h = /re/\nlet i = [1, 'a']\nlet j = {k: 1, 'q-r': [2]}\nlet k = r[1,10)\n"
      "let l = r(1.5, 2.5]\nlet m = r[a,z]\nlet n := 'walrus'\n");
  ASSERT_EQ(f.assignments.size(), 13u);
  EXPECT_EQ(LetLiteral(f, 0).kind, Value::Kind::kString);
  EXPECT_EQ(LetLiteral(f, 0).text, "x");
  EXPECT_EQ(LetLiteral(f, 1).integer, 10);
  EXPECT_EQ(LetLiteral(f, 2).integer, -3);
  EXPECT_DOUBLE_EQ(LetLiteral(f, 3).number, 1.5);
  EXPECT_TRUE(LetLiteral(f, 4).boolean);
  EXPECT_EQ(LetLiteral(f, 5).kind, Value::Kind::kNull);
  EXPECT_EQ(LetLiteral(f, 6).kind, Value::Kind::kRegex);
  EXPECT_EQ(LetLiteral(f, 7).list.size(), 2u);
  ASSERT_EQ(LetLiteral(f, 8).map.size(), 2u);
  EXPECT_EQ(LetLiteral(f, 8).map[1].key, "q-r");
  const Value& k = LetLiteral(f, 9);
  EXPECT_EQ(k.kind, Value::Kind::kRangeInt);
  EXPECT_TRUE(k.int_range.lower_inclusive);
  EXPECT_FALSE(k.int_range.upper_inclusive);
  EXPECT_EQ(k.int_range.upper, 10);
  EXPECT_EQ(LetLiteral(f, 10).kind, Value::Kind::kRangeFloat);
  EXPECT_EQ(LetLiteral(f, 11).char_range.upper, U'z');
  EXPECT_EQ(f.assignments[12].name, "n");
  // Spans: line and column of each literal.
  EXPECT_EQ(LetLiteral(f, 9).span.line, 10u);
  EXPECT_EQ(LetLiteral(f, 9).span.column, 9u);
}

TEST(GuardParser, MapKeepsFirstPositionAndLastValue) {
  const RulesFile f = MustParse("let m = { a: 1, b: 2, a: 3 }");
  const Value& m = LetLiteral(f);
  ASSERT_EQ(m.map.size(), 2u);
  EXPECT_EQ(m.map[0].key, "a");
  EXPECT_EQ(m.map[0].value.integer, 3);
}

// ---- queries ---------------------------------------------------------------------------------

TEST(GuardParser, QueryParts) {
  const RulesFile f = MustParse(
      "let q = some Resources.*[ Type == 'x' ].Properties.Tags[*].\"a-b\"[0].%v[ k | keys == /x/ "
      "][ n ].1");
  const auto& q = std::get<AccessQuery>(f.assignments[0].value.v);
  EXPECT_FALSE(q.match_all);
  using K = QueryPart::Kind;
  std::vector<K> kinds;
  for (const auto& p : q.parts) kinds.push_back(p.kind);
  EXPECT_EQ(kinds, (std::vector<K>{K::kKey, K::kAllValues, K::kFilter, K::kKey, K::kKey,
                                   K::kAllIndices, K::kKey, K::kIndex, K::kVariable,
                                   K::kMapKeyFilter, K::kAllValues, K::kIndex}));
  EXPECT_EQ(q.parts[6].name, "a-b");
  EXPECT_EQ(q.parts[8].name, "v");
  EXPECT_EQ(q.parts[9].capture, "k");
  EXPECT_EQ(q.parts[9].key_filter.at(0).comparator.op, CmpOperator::kEq);
  EXPECT_EQ(q.parts[10].capture, "n");
  EXPECT_EQ(q.parts[11].index, 1);
  const auto& filter = q.parts[2].filter;
  ASSERT_EQ(filter.size(), 1u);
  EXPECT_EQ(std::get<AccessClause>(filter[0][0].v).query.parts[0].name, "Type");
}

TEST(GuardParser, VariableQueriesGetImplicitAllIndices) {
  const RulesFile f = MustParse("let a = %x.b\nlet b = %x[*].b\nlet c = %x\n");
  const auto parts = [&](size_t i) {
    return std::get<AccessQuery>(f.assignments[i].value.v).parts;
  };
  ASSERT_EQ(parts(0).size(), 3u);
  EXPECT_EQ(parts(0)[1].kind, QueryPart::Kind::kAllIndices);
  EXPECT_TRUE(parts(0)[1].implicit);
  ASSERT_EQ(parts(1).size(), 3u);
  EXPECT_FALSE(parts(1)[1].implicit);
  EXPECT_EQ(parts(2).size(), 1u);
}

TEST(GuardParser, ThisAndKeysFilters) {
  const RulesFile f =
      MustParse("a[ keys in ['x'] ] exists\nb[ keys not in %l ] exists\nthis.c == this\n");
  const auto& rule = f.rules.at(0);
  ASSERT_EQ(rule.block.conjunctions.size(), 3u);
  const auto& b = std::get<AccessClause>(std::get<GuardClause>(rule.block.conjunctions[1][0].v).v);
  const MapKeyFilter& kf = b.query.parts[1].key_filter.at(0);
  EXPECT_EQ(kf.comparator.op, CmpOperator::kIn);
  EXPECT_TRUE(kf.comparator.negated);
  EXPECT_TRUE(std::holds_alternative<AccessQuery>(kf.compare_with->v));
  const auto& c = std::get<AccessClause>(std::get<GuardClause>(rule.block.conjunctions[2][0].v).v);
  EXPECT_EQ(c.query.parts[0].kind, QueryPart::Kind::kThis);
  EXPECT_EQ(std::get<AccessQuery>(c.compare_with->v).parts[0].kind, QueryPart::Kind::kThis);
}

// ---- clauses ---------------------------------------------------------------------------------

TEST(GuardParser, EveryOperator) {
  const std::pair<const char*, Comparator> cases[] = {
      {"a == 1", {CmpOperator::kEq, false}},
      {"a != 1", {CmpOperator::kEq, true}},
      {"a < 1", {CmpOperator::kLt, false}},
      {"a > 1", {CmpOperator::kGt, false}},
      {"a <= 1", {CmpOperator::kLe, false}},
      {"a >= 1", {CmpOperator::kGe, false}},
      {"a in [1]", {CmpOperator::kIn, false}},
      {"a IN [1]", {CmpOperator::kIn, false}},
      {"a not in [1]", {CmpOperator::kIn, true}},
      {"a !in [1]", {CmpOperator::kIn, true}},
      {"a exists", {CmpOperator::kExists, false}},
      {"a !exists", {CmpOperator::kExists, true}},
      {"a NOT EXISTS", {CmpOperator::kExists, true}},
      {"a empty", {CmpOperator::kEmpty, false}},
      {"a not empty", {CmpOperator::kEmpty, true}},
      {"a is_string", {CmpOperator::kIsString, false}},
      {"a is_list", {CmpOperator::kIsList, false}},
      {"a is_struct", {CmpOperator::kIsMap, false}},
      {"a is_bool", {CmpOperator::kIsBool, false}},
      {"a is_int", {CmpOperator::kIsInt, false}},
      {"a is_float", {CmpOperator::kIsFloat, false}},
      {"a is_null", {CmpOperator::kIsNull, false}},
      {"a !is_null", {CmpOperator::kIsNull, true}},
  };
  for (const auto& [text, cmp] : cases) {
    SCOPED_TRACE(text);
    const RulesFile f = MustParse(text);
    const AccessClause& c = FirstAccess(f);
    EXPECT_EQ(c.comparator.op, cmp.op);
    EXPECT_EQ(c.comparator.negated, cmp.negated);
    EXPECT_EQ(c.compare_with.has_value(), !IsUnary(cmp.op));
  }
}

TEST(GuardParser, ClauseNegationMessagesAndRhsKinds) {
  const RulesFile f =
      MustParse("not a == 1 <<one>>\n!b == %x\nc == count(d) << multi\n line >>\ne == f.g\n");
  const auto& conj = f.rules[0].block.conjunctions;
  ASSERT_EQ(conj.size(), 4u);
  auto clause = [&](size_t i) -> const AccessClause& {
    return std::get<AccessClause>(std::get<GuardClause>(conj[i][0].v).v);
  };
  EXPECT_TRUE(clause(0).negated);
  EXPECT_EQ(clause(0).custom_message, "one");
  EXPECT_TRUE(clause(1).negated);
  EXPECT_TRUE(std::holds_alternative<AccessQuery>(clause(1).compare_with->v));
  const auto& call = std::get<FunctionCall>(clause(2).compare_with->v);
  EXPECT_EQ(call.name, "count");
  EXPECT_EQ(clause(2).custom_message, " multi\n line ");
  EXPECT_EQ(std::get<AccessQuery>(clause(3).compare_with->v).parts.size(), 2u);
  EXPECT_EQ(clause(3).span.line, 5u);
  EXPECT_EQ(clause(3).span.column, 1u);
}

TEST(GuardParser, Disjunctions) {
  const RulesFile f = MustParse("a exists or b exists OR\nc exists |OR| d exists\ne exists\n");
  const auto& conj = f.rules[0].block.conjunctions;
  ASSERT_EQ(conj.size(), 2u);
  EXPECT_EQ(conj[0].size(), 4u);
  EXPECT_EQ(conj[1].size(), 1u);
}

TEST(GuardParser, BlocksAndWhen) {
  const RulesFile f = MustParse(
      "Resources.* !empty {\n  let x = 1\n  Type exists\n  when Type == 'a' { B exists }\n}\n");
  const auto& b = std::get<BlockClause>(FirstClause(f).v);
  EXPECT_TRUE(b.not_empty);
  ASSERT_EQ(b.block.assignments.size(), 1u);
  ASSERT_EQ(b.block.conjunctions.size(), 2u);
  const auto& w = std::get<WhenBlock>(b.block.conjunctions[1][0].v);
  EXPECT_EQ(w.conditions.size(), 1u);
  EXPECT_EQ(w.block.conjunctions.size(), 1u);
}

TEST(GuardParser, NamedRulesReferencesAndParameters) {
  const RulesFile f = MustParse(
      "rule a when b\n    c exists {\n  b\n  not b <<m>>\n  !b or p(1, %x)\n  let v = 2\n}\n"
      "rule b { x exists }\nrule p(u, w, u) { %u == %w }\n");
  ASSERT_EQ(f.rules.size(), 2u);
  const Rule& a = f.rules[0];
  EXPECT_EQ(a.name, "a");
  EXPECT_FALSE(a.is_default);
  ASSERT_TRUE(a.conditions);
  ASSERT_EQ(a.conditions->size(), 2u);
  EXPECT_EQ(std::get<NamedRuleRef>((*a.conditions)[0][0].v).rule_name, "b");
  EXPECT_TRUE(std::holds_alternative<AccessClause>((*a.conditions)[1][0].v));
  const auto& conj = a.block.conjunctions;
  ASSERT_EQ(conj.size(), 3u);
  auto ref = [&](size_t i, size_t j) -> const NamedRuleRef& {
    return std::get<NamedRuleRef>(std::get<GuardClause>(conj[i][j].v).v);
  };
  EXPECT_FALSE(ref(0, 0).negated);
  EXPECT_TRUE(ref(1, 0).negated);
  EXPECT_EQ(ref(1, 0).custom_message, "m");
  EXPECT_TRUE(ref(2, 0).negated);
  EXPECT_TRUE(ref(2, 1).parameterized);
  EXPECT_EQ(ref(2, 1).arguments.size(), 2u);
  EXPECT_EQ(a.block.assignments.size(), 1u);
  ASSERT_EQ(f.parameterized_rules.size(), 1u);
  EXPECT_EQ(f.parameterized_rules[0].parameters, (std::vector<std::string>{"u", "w"}));
}

TEST(GuardParser, TypeBlocksExpandToTheirQuery) {
  const RulesFile f = MustParse(
      "AWS::S3::Bucket when Properties exists { Properties.A == 1 }\n"
      "AWS::S3::Bucket Properties.B exists\nCustom::X { y exists }\n");
  const Rule& d = f.rules.at(0);
  EXPECT_TRUE(d.is_default);
  ASSERT_EQ(d.block.conjunctions.size(), 3u);
  const auto& t = std::get<TypeBlock>(d.block.conjunctions[0][0].v);
  EXPECT_EQ(t.type_name, "AWS::S3::Bucket");
  EXPECT_TRUE(t.conditions);
  ASSERT_EQ(t.query.size(), 3u);
  EXPECT_EQ(t.query[0].name, "Resources");
  EXPECT_EQ(t.query[2].kind, QueryPart::Kind::kFilter);
  EXPECT_EQ(std::get<TypeBlock>(d.block.conjunctions[2][0].v).type_name, "Custom::X");
}

TEST(GuardParser, DefaultRuleCollectsTopLevelClausesFirst) {
  const RulesFile f = MustParse("rule r { a exists }\nb exists\nwhen c exists {\n  r\n}\n");
  ASSERT_EQ(f.rules.size(), 2u);
  EXPECT_TRUE(f.rules[0].is_default);
  EXPECT_EQ(f.rules[0].name, "default");
  EXPECT_EQ(f.rules[0].block.conjunctions.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<WhenBlock>(f.rules[0].block.conjunctions[1][0].v));
  EXPECT_EQ(f.rules[1].name, "r");
}

TEST(GuardParser, FunctionsAsLetValues) {
  const RulesFile f = MustParse(
      "let a = regex_replace(%arn, \"^(x)$\", \"${1}\")\nlet b = join(\n  %c,\n  \",\"\n)\n"
      "let c = count(json_parse(%p))\n");
  const auto& a = std::get<FunctionCall>(f.assignments[0].value.v);
  EXPECT_EQ(a.name, "regex_replace");
  EXPECT_EQ(a.arguments.size(), 3u);
  const auto& c = std::get<FunctionCall>(f.assignments[2].value.v);
  EXPECT_EQ(std::get<FunctionCall>(c.arguments[0].v).name, "json_parse");
}

TEST(GuardParser, EmptyAndCommentOnlyFiles) {
  EXPECT_TRUE(MustParse("").empty);
  EXPECT_TRUE(MustParse("  # nothing\n\n").empty);
  EXPECT_FALSE(MustParse("a exists").empty);
}

TEST(GuardParser, DeepNestingIsAnErrorNotACrash) {
  std::string deep = "let a = ";
  for (int i = 0; i < 5000; ++i) deep += "[";
  const Diagnostic d = MustFail(deep);
  EXPECT_NE(d.message.find("nesting too deep"), std::string::npos) << d.message;
  std::string filters = "a";
  for (int i = 0; i < 3000; ++i) filters += "[ b";
  MustFail(filters);
}

TEST(GuardParser, NestedFiltersParseInLinearTime) {
  // Without memoising queries, each level would be parsed twice per enclosing level.
  std::string text = "a";
  for (int i = 0; i < 60; ++i) text += "[ b";
  text += " exists";
  for (int i = 0; i < 60; ++i) text += " ] exists";
  MustParse(text);
}

// ---- the dump cfn-guard's parse-tree prints ---------------------------------------------------

TEST(GuardAstJson, MatchesCfnGuardShape) {
  Source src("t.guard", "let x = count(a)\nrule r { %x.b != r(1.5,2.0] <<m>> }\n");
  auto f = Parse(src, nullptr);
  ASSERT_TRUE(f);
  EXPECT_EQ(DumpCfnGuardJson(*f, src),
            R"({"assignments":[{"var":"x","value":{"FunctionCall":{"parameters":[{"AccessClause":)"
            R"({"query":[{"Key":"a"}],"match_all":true}}],"name":"count","location":{"line":1,)"
            R"("column":9}}}}],"guard_rules":[{"rule_name":"r","conditions":null,"block":)"
            R"({"assignments":[],"conjunctions":[[{"Clause":{"Clause":{"access_clause":{"query":)"
            R"({"query":[{"Key":"%x"},{"AllIndices":null},{"Key":"b"}],"match_all":true},)"
            R"("comparator":["Eq",true],"compare_with":{"Value":{"path":"","value":"(1.5,2]"}},)"
            R"("custom_message":"m","location":{"line":2,"column":10}},"negation":false}}}]]}}],)"
            R"("parameterized_rules":[]})");
}

TEST(GuardAstJson, RustDisplayOfFloats) {
  EXPECT_EQ(RustDisplay(2.0), "2");
  EXPECT_EQ(RustDisplay(1.5), "1.5");
  EXPECT_EQ(RustDisplay(-0.25), "-0.25");
  EXPECT_EQ(RustDisplay(1e20), "100000000000000000000");
  EXPECT_EQ(RustDisplay(1e-7), "0.0000001");
  EXPECT_EQ(RustDisplay(0.1), "0.1");
}

// ---- diagnostics -----------------------------------------------------------------------------

struct ErrorCase {
  const char* text;
  std::uint32_t line, column;
  const char* message_part;
};

TEST(GuardDiagnostics, ExactPositions) {
  const ErrorCase cases[] = {
      {"rule r {\n  a.b ==\n}\n", 3, 1, "expected a value, a query or a function call"},
      {"rule r {\n  a.b 5\n}\n", 2, 7, "comparison operator"},
      {"let a = 'abc", 1, 9, "missing closing ' for this string"},
      {"a exists << oops", 1, 10, "missing closing '>>'"},
      {"let a = r[1, 2.0]", 1, 9, "must both be integers, both floats or both characters"},
      {"rule r { a }", 1, 12, "end of line, found '}'"},
      {"rule r {\n  a exists\n", 3, 1, "expected"},
      {"let x = [1, 2,]", 1, 15, "expected a value, found ']'"},
      {"a[] exists", 1, 3, "a clause"},
      {"a[ 1] exists", 1, 4, "a clause"},
      {"rule r when { a exists }", 1, 13, "expected"},
      {"let a == 1", 1, 8, "a value, a query or a function call"},
      {"x == \xc3\xa4\xc3", 1, 7, "not valid UTF-8"},
      {"rule r {\n\ta.b == 1\n\tc d\n}", 3, 4, "comparison operator"},
      {"a == b\n}", 2, 1, "expected"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const Diagnostic d = MustFail(c.text);
    EXPECT_EQ(d.line, c.line) << d.message;
    EXPECT_EQ(d.column, c.column) << d.message;
    EXPECT_NE(d.message.find(c.message_part), std::string::npos) << d.message;
  }
}

TEST(GuardDiagnostics, FormatShowsFileLineColumnLineAndCaret) {
  Source src("rules/s3.guard", "rule r {\n\ta.b == 1\n\tc d\n}\n");
  Diagnostic d;
  ASSERT_FALSE(Parse(src, &d));
  EXPECT_EQ(Format(src, d),
            "rules/s3.guard:3:4: error: expected '.', '[', 'not', '{', a comparison operator "
            "(==, !=, <, <=, >, >=, in, not in, exists, empty, is_string, is_list, is_struct, "
            "is_bool, is_int, is_float, is_null), 'or', a custom message (<< … >>) or end of "
            "line, found 'd'\n"
            "    \tc d\n"
            "    \t  ^\n");
  const Result<RulesFile> r = Parse(src);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), Format(src, d));
}

TEST(GuardDiagnostics, ColumnsCountCharactersNotBytes) {
  // `b` starts a new clause that never gets its operator: the error is at the end, column 12
  // (14 in bytes).
  const Diagnostic d = MustFail("a == \"\xc3\xa4\xc3\xa4\" b");
  EXPECT_EQ(d.line, 1u);
  EXPECT_EQ(d.column, 12u);
}

}  // namespace
}  // namespace vigil::guard
