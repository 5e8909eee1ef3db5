// Unit tests of the Guard evaluator, its value model and its data loader. Every expectation here
// was checked against cfn-guard 3.1.1; eval_differential_test.cc runs the larger corpus live.
#include "guard/eval.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "guard/data.h"
#include "guard/eval_test_util.h"
#include "guard/functions.h"
#include "guard/fuzz_eval.h"
#include "guard/parser.h"

namespace vigil::guard {
namespace {

DataDocument Load(const std::string& text, const std::string& name = "d.json") {
  auto d = DataDocument::Load(name, text);
  EXPECT_TRUE(d.ok()) << d.status().message();
  return d.ok() ? std::move(*d) : DataDocument();
}

struct EvalRun {
  Status status;
  std::map<std::string, std::string> rules;
  std::string file;
  std::string tree;
};

EvalRun Eval(const std::string& rules, const std::string& data, bool record = true) {
  EvalRun out;
  const Source src("r.guard", rules);
  auto file = Parse(src);
  EXPECT_TRUE(file.ok()) << file.status().message();
  if (!file.ok()) return out;
  auto compiled = CompiledRules::Compile(*file, "r.guard");
  auto doc = DataDocument::Load("d.json", data);
  if (!doc.ok()) {
    out.status = doc.status();
    return out;
  }
  EvalOptions o;
  o.data_file_name = "d.json";
  o.record = record;
  auto ev = Evaluate(*compiled, doc->root(), o);
  if (!ev.ok()) {
    out.status = ev.status();
    return out;
  }
  for (const auto& r : ev->rules()) out.rules[std::string(r.name)] = StatusName(r.status);
  out.file = StatusName(ev->status());
  if (record) out.tree = ev->RecordTreeJson();
  return out;
}

std::string Status1(const std::string& rules, const std::string& data, const std::string& rule) {
  const EvalRun r = Eval(rules, data);
  EXPECT_TRUE(r.status.ok()) << r.status.message();
  auto it = r.rules.find(rule);
  return it == r.rules.end() ? "?" : it->second;
}

// ---------------------------------------------------------------------------------------------
// Data loading

TEST(GuardData, JsonTypesAndPaths) {
  const DataDocument d =
      Load(R"({"a": {"b": [1, 2.5, "x", true, null]}, "big": 18446744073709551615})");
  const Node& root = d.root();
  ASSERT_EQ(root.kind, Kind::kMap);
  const Node* b = root.Find("a")->Find("b");
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->size, 5u);
  EXPECT_EQ(b->Element(0).kind, Kind::kInt);
  EXPECT_EQ(b->Element(1).kind, Kind::kFloat);
  EXPECT_EQ(b->Element(2).kind, Kind::kString);
  EXPECT_EQ(b->Element(3).kind, Kind::kBool);
  EXPECT_EQ(b->Element(4).kind, Kind::kNull);
  EXPECT_EQ(PathOf(b->Element(2)), "/a/b/2");
  EXPECT_EQ(root.Find("big")->kind, Kind::kFloat);  // beyond i64: Rust's parse::<i64> fails
  // Keys as values carry their map's path and their own location.
  EXPECT_EQ(PathOf(root.EntryKey(0)), "");
  EXPECT_EQ(LocationOf(root.EntryKey(0)).column, 1u);
}

TEST(GuardData, LocationsAreZeroBasedCodePoints) {
  const DataDocument d = Load("{\"é\": \"x\",\n \"b\": [1]}");
  const Node* e = d.root().Find("é");
  EXPECT_EQ(LocationOf(*e).line, 0u);
  EXPECT_EQ(LocationOf(*e).column, 6u);  // code points, not bytes
  const Node* b = d.root().Find("b");
  EXPECT_EQ(LocationOf(*b).line, 1u);
  EXPECT_EQ(LocationOf(*b).column, 6u);
  EXPECT_EQ(PathWithLocation(b->Element(0)), "/b/0[L:1,C:7]");
}

TEST(GuardData, YamlPlainScalarsAsCfnGuardTypesThem) {
  struct Case {
    const char* text;
    Kind kind;
  };
  const Case cases[] = {
      {"10", Kind::kInt},       {"+5", Kind::kInt},          {"1.5e3", Kind::kFloat},
      {"inf", Kind::kFloat},    {"NaN", Kind::kFloat},       {".inf", Kind::kString},
      {"true", Kind::kBool},    {"True", Kind::kString},     {"yes", Kind::kString},
      {"~", Kind::kNull},       {"NULL", Kind::kNull},       {"nUlL", Kind::kNull},
      {"0x1F", Kind::kString},  {"1_000", Kind::kString},    {"'10'", Kind::kString},
      {"!!int 42", Kind::kInt}, {"!!str 42", Kind::kString}, {"!!bool yes", Kind::kString},
  };
  for (const auto& c : cases) {
    const DataDocument d = Load(std::string("a: ") + c.text + "\n", "d.yaml");
    EXPECT_EQ(d.root().Find("a")->kind, c.kind) << c.text;
  }
  const DataDocument empty = Load("a:\nb: 1\n", "d.yaml");
  EXPECT_EQ(empty.root().Find("a")->kind, Kind::kString);
  EXPECT_EQ(LocationOf(*empty.root().Find("a")).column, 2u);  // right after the ':'
}

TEST(GuardData, CloudFormationShortFormTags) {
  const DataDocument d = Load(
      "a: !Ref P\n"
      "b: !GetAtt X.Arn\n"
      "c: !If [C, x, y]\n"
      "d: !Custom v\n"
      "e: !Select x\n",
      "t.yaml");
  EXPECT_EQ(d.root().Find("a")->Find("Ref")->text(), "P");
  EXPECT_EQ(d.root().Find("b")->Find("Fn::GetAtt")->text(), "X.Arn");
  EXPECT_EQ(d.root().Find("c")->Find("Fn::If")->size, 3u);
  EXPECT_EQ(d.root().Find("d")->text(), "v");
  EXPECT_EQ(d.root().Find("e")->text(), "x");  // a sequence-only function on a scalar
}

TEST(GuardData, FirstYamlDocumentOnly) {
  const DataDocument d = Load("a: 1\n---\nb: 2\n", "d.yaml");
  EXPECT_NE(d.root().Find("a"), nullptr);
  EXPECT_EQ(d.root().Find("b"), nullptr);
}

TEST(GuardData, RepeatedKeysKeepFirstPositionAndLastValue) {
  const DataDocument d = Load(R"({"a": 1, "b": 2, "a": 3})");
  ASSERT_EQ(d.root().size, 2u);
  EXPECT_EQ(d.root().EntryKey(0).text(), "a");
  EXPECT_EQ(d.root().EntryValue(0).i, 3);
  EXPECT_EQ(d.root().KeyCount(), 3u);  // cfn-guard's key list keeps the repeat
}

TEST(GuardData, ErrorsAsCfnGuardWordsThem) {
  auto empty = DataDocument::Load("e.json", "  \n");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(),
            "Parser Error when parsing `Unable to parse a template from data file: e.json is "
            "empty`");
  auto key = DataDocument::Load("k.yaml", "1: a\n");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().message(),
            "Parser Error when parsing `non string type detected for key in a map at L:0,C:0, "
            "cfn-guard only supports keys that are string types`");
  auto bad = DataDocument::Load("b.yaml", "a: !!int abc\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "Parser Error when parsing `Bad Value encountered parsing incoming file Value = abc, "
            "Loc = L:0,C:3`");
  auto alias = DataDocument::Load("a.yaml", "a: &x 1\nb: *x\n");
  ASSERT_FALSE(alias.ok());
  EXPECT_NE(alias.status().message().find("Error encountered while parsing data file: a.yaml"),
            std::string::npos);
}

TEST(GuardData, MergeInputParameters) {
  const DataDocument params = Load(R"({"p": 1})", "p.json");
  const DataDocument data = Load(R"({"a": 2})");
  auto merged = DataDocument::Merge(params, data);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->root().Find("p")->i, 1);
  EXPECT_EQ(merged->root().Find("a")->i, 2);
  auto clash = DataDocument::Merge(params, params);
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.status().message(),
            "Conflicting rule or variable assignments inside the same scope `Key p, already "
            "exists in map`");
  const DataDocument list = Load("[1]");
  auto mixed = DataDocument::Merge(params, list);
  ASSERT_FALSE(mixed.ok());
  EXPECT_NE(mixed.status().message().find("Types are not compatible for merges map, array"),
            std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Values

TEST(GuardValue, RustFloatFormatting) {
  auto show = [](double v, int mode) {
    std::string s;
    if (mode == 0) AppendRustFloat(s, v);
    if (mode == 1) AppendRustFloatDebug(s, v);
    if (mode == 2) AppendJsonFloat(s, v);
    return s;
  };
  EXPECT_EQ(show(1.0, 0), "1");
  EXPECT_EQ(show(1.5, 0), "1.5");
  EXPECT_EQ(show(1e21, 0), "1000000000000000000000");
  EXPECT_EQ(show(1e-7, 0), "0.0000001");
  EXPECT_EQ(show(1.0, 1), "1.0");
  EXPECT_EQ(show(1e21, 1), "1e21");
  EXPECT_EQ(show(1.0, 2), "1.0");
  EXPECT_EQ(show(1e16, 2), "1e16");
  EXPECT_EQ(show(1e15, 2), "1000000000000000.0");
  EXPECT_EQ(show(1.5e-7, 2), "1.5e-7");
}

TEST(GuardValue, ComparisonRules) {
  const DataDocument d = Load(R"({"i": 1, "f": 1.0, "s": "a", "l": [1], "r": "x"})");
  const Node& i = *d.root().Find("i");
  const Node& f = *d.root().Find("f");
  EXPECT_FALSE(CompareEq(i, f).comparable);  // int and float do not compare in cfn-guard
  EXPECT_FALSE(LooseEqual(i, f));
  EXPECT_EQ(CompareOrder(*d.root().Find("s"), *d.root().Find("r")), Cmp::kLess);
  EXPECT_EQ(NotComparableReason(i, f), "PathAwareValues are not comparable int, float");
  EXPECT_EQ(DisplayValue(*d.root().Find("s")), "Path=/s[L:0,C:24] Value=\"a\"");
}

// ---------------------------------------------------------------------------------------------
// Evaluation

TEST(GuardEval, MissingKeySemantics) {
  const std::string rules =
      "rule ex { a exists }\nrule nex { a not exists }\nrule em { a empty }\n"
      "rule eq { a == 1 }\nrule ne { a != 1 }\n";
  const EvalRun r = Eval(rules, R"({"b": 1})");
  EXPECT_EQ(r.rules.at("ex"), "FAIL");
  EXPECT_EQ(r.rules.at("nex"), "PASS");
  EXPECT_EQ(r.rules.at("em"), "PASS");
  EXPECT_EQ(r.rules.at("eq"), "FAIL");
  EXPECT_EQ(r.rules.at("ne"), "FAIL");
  EXPECT_EQ(r.file, "FAIL");
}

TEST(GuardEval, FilterSelectingNothingSkips) {
  const std::string rules =
      "rule f { Resources.*[ Type == 'Z' ].Properties.x == 1 }\n"
      "rule g { Resources.*[ Type == 'Z' ] !empty }\n";
  const EvalRun r = Eval(rules, R"({"Resources": {"a": {"Type": "A"}}})");
  EXPECT_EQ(r.rules.at("f"), "SKIP");
  EXPECT_EQ(r.rules.at("g"), "FAIL");
}

TEST(GuardEval, SomeAndAll) {
  const std::string data = R"({"a": [{"b": 1}, {"b": 2}]})";
  EXPECT_EQ(Status1("rule r { a[*].b == 1 }", data, "r"), "FAIL");
  EXPECT_EQ(Status1("rule r { some a[*].b == 1 }", data, "r"), "PASS");
  EXPECT_EQ(Status1("rule r { some a[*].c == 1 }", data, "r"), "FAIL");
}

TEST(GuardEval, InAndRanges) {
  EXPECT_EQ(Status1("rule r { a in [] }", R"({"a": 1})", "r"), "FAIL");
  EXPECT_EQ(Status1("rule r { a in r[1, 5) }", R"({"a": 4})", "r"), "PASS");
  EXPECT_EQ(Status1("rule r { a in r[1, 5) }", R"({"a": 5})", "r"), "FAIL");
  EXPECT_EQ(Status1("rule r { a in \"xyz\" }", R"({"a": "y"})", "r"), "PASS");
  EXPECT_EQ(Status1("rule r { a == [1, 2] }", R"({"a": [1, 2]})", "r"), "PASS");
  EXPECT_EQ(Status1("rule r { a == /^x+$/ }", R"({"a": "xxx"})", "r"), "PASS");
  EXPECT_EQ(Status1("rule r { a == 1 }", R"({"a": 1.0})", "r"), "FAIL");
}

TEST(GuardEval, RuleReferencesInAnyOrder) {
  const std::string rules =
      "rule a when b { x == 1 }\n"
      "rule b { y == 1 }\n"
      "rule c {\n  not b\n}\n";
  EvalRun r = Eval(rules, R"({"x": 1, "y": 2})");
  EXPECT_EQ(r.rules.at("a"), "SKIP");
  EXPECT_EQ(r.rules.at("b"), "FAIL");
  EXPECT_EQ(r.rules.at("c"), "PASS");
  r = Eval(rules, R"({"x": 1, "y": 1})");
  EXPECT_EQ(r.rules.at("a"), "PASS");
}

TEST(GuardEval, DefaultRuleIsNamedAfterTheFile) {
  const EvalRun r = Eval("a exists\n", R"({"a": 1})");
  EXPECT_EQ(r.rules.at("r.guard/default"), "PASS");
}

TEST(GuardEval, TypeBlocks) {
  const std::string rules = "AWS::S3::Bucket { Properties.Name exists }\n";
  EXPECT_EQ(
      Status1(rules,
              R"({"Resources": {"b": {"Type": "AWS::S3::Bucket", "Properties": {"Name": 1}}}})",
              "r.guard/default"),
      "PASS");
  EXPECT_EQ(Status1(rules, R"({"Resources": {"b": {"Type": "X"}}})", "r.guard/default"), "SKIP");
  // Without Resources the type block's query does not resolve: an error (exit 255).
  const EvalRun r = Eval(rules, R"({"a": 1})");
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.message(),
            "There was no variable or value object to resolve. Error = `Unable to resolve type "
            "block query: AWS::S3::Bucket`");
}

TEST(GuardEval, HardErrors) {
  EvalRun r = Eval("rule a { %nope == 1 }", R"({"a": 1})");
  EXPECT_EQ(r.status.message(),
            "There was no variable or value object to resolve. Error = `Could not resolve "
            "variable by name nope across scopes`");
  r = Eval("rule a { a empty }", R"({"a": 5})");
  EXPECT_EQ(r.status.message(),
            "Types or variable assignments are incompatible `Attempting EMPTY operation on type "
            "int that does not support it at /a[L:0,C:6]`");
}

TEST(GuardEval, ParameterizedRules) {
  const std::string rules =
      "rule p(x, y) { %x == %y }\n"
      "rule c1 {\n  p(a, 1)\n}\n"
      "rule c2 {\n  p(a, 2)\n}\n";
  const EvalRun r = Eval(rules, R"({"a": 1})");
  EXPECT_EQ(r.rules.at("c1"), "PASS");
  EXPECT_EQ(r.rules.at("c2"), "FAIL");
}

TEST(GuardEval, KeyLookupFallsBackToCaseConversions) {
  EXPECT_EQ(Status1("rule r { P.bucketName == 'x' }", R"({"P": {"BucketName": "x"}})", "r"),
            "PASS");
  EXPECT_EQ(Status1("rule r { P.BucketName == 'x' }", R"({"P": {"bucket_name": "x"}})", "r"),
            "PASS");
}

TEST(GuardEval, Functions) {
  const std::string data =
      R"({"l": ["a", "b"], "s": "Hello", "n": "42", "doc": "{\"k\": [1]}", "e": "a%20b"})";
  EXPECT_EQ(Status1("let j = join(l[*], ',')\nrule r { %j == 'a,b' }", data, "r"), "PASS");
  EXPECT_EQ(Status1("let u = to_upper(s)\nrule r { %u == 'HELLO' }", data, "r"), "PASS");
  EXPECT_EQ(Status1("let u = substring(s, 1, 3)\nrule r { %u == 'el' }", data, "r"), "PASS");
  EXPECT_EQ(Status1("let u = parse_int(n)\nrule r { %u == 42 }", data, "r"), "PASS");
  EXPECT_EQ(Status1("let u = json_parse(doc)\nrule r { %u.k[0] == 1 }", data, "r"), "PASS");
  EXPECT_EQ(Status1("let u = url_decode(e)\nrule r { %u == 'a b' }", data, "r"), "PASS");
  EXPECT_EQ(Status1("let c = count(l[*])\nrule r { %c == 2 }", data, "r"), "PASS");
  EXPECT_EQ(
      Status1("let u = regex_replace(s, '^(H)(e)', '$2$1')\nrule r { %u == 'eH' }", data, "r"),
      "PASS");
  const EvalRun bad = Eval("let u = parse_int(s)\nrule r { %u == 1 }", data);
  EXPECT_EQ(bad.status.message(),
            "Parser Error when parsing `failed to convert a string: Hello into an integer at "
            "/s[L:0,C:23]`");
  EXPECT_FALSE(CheckFunctionCall("now", 0).ok());  // not in 3.1.1
  EXPECT_FALSE(CheckFunctionCall("join", 1).ok());
}

TEST(GuardEval, RecordTreeHasCfnGuardContexts) {
  const EvalRun r = Eval("rule r { a == 'x' <<msg>> }", R"({"a": "y"})");
  EXPECT_NE(r.tree.find("\"context\": \"File(rules=1)\""), std::string::npos);
  EXPECT_NE(r.tree.find("\"context\": \"GuardAccessClause#block a EQUALS  \\\"x\\\"\""),
            std::string::npos);
  EXPECT_NE(r.tree.find("\"custom_message\": \"msg\""), std::string::npos);
}

TEST(GuardEval, StatusesDoNotDependOnRecording) {
  const std::string rules =
      "let v = Resources.*[ Type == 'A' ]\n"
      "rule r when %v !empty { %v.Properties.x == 1 }\n"
      "rule s { Resources.* { Type in ['A', 'B'] } }\n";
  const std::string data = R"({"Resources": {"a": {"Type": "A", "Properties": {"x": 2}}}})";
  EXPECT_EQ(Eval(rules, data, true).rules, Eval(rules, data, false).rules);
}

TEST(GuardEval, ConcurrentEvaluationsShareCompiledRules) {
  const Source src("r.guard",
                   "let b = Resources.*[ Type == 'B' ]\n"
                   "rule r { %b.Properties.v == 1 }\n"
                   "rule s { Resources.*.Type in ['A', 'B'] }\n");
  auto file = Parse(src);
  ASSERT_TRUE(file.ok());
  auto compiled = CompiledRules::Compile(*file, "r.guard");
  ASSERT_TRUE(compiled.ok());
  std::vector<DataDocument> docs;
  for (int i = 0; i < 8; ++i)
    docs.push_back(Load(R"({"Resources": {"x": {"Type": "B", "Properties": {"v": )" +
                        std::to_string(i % 2) + "}}}}"));
  std::vector<std::string> results(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int rep = 0; rep < 20; ++rep)
        for (int i = t; i < 8; i += 4) {
          EvalOptions o;
          auto ev = Evaluate(*compiled, docs[i].root(), o);
          results[i] = ev.ok() ? StatusName(ev->rules()[0].status) : "error";
        }
    });
  for (auto& th : threads) th.join();
  for (int i = 0; i < 8; ++i) EXPECT_EQ(results[i], i % 2 ? "PASS" : "FAIL") << i;
}

TEST(GuardEvalFuzz, CorpusThroughTheFuzzEntryPoint) {
  // Every case of the differential corpus, as the fuzz target reads it: no crash, and the same
  // digest twice (statuses and trees are deterministic).
  int runs = 0;
  for (const auto& e : testing::fs::directory_iterator(testing::TestData() / "eval")) {
    if (e.path().extension() != ".cases") continue;
    for (const auto& c : testing::ReadEvalCases(e.path()))
      for (const auto& [name, text] : c.data) {
        const std::string input = c.rules + std::string(1, '\0') + text;
        const auto* bytes = reinterpret_cast<const std::uint8_t*>(input.data());
        EXPECT_EQ(FuzzEval(bytes, input.size()), FuzzEval(bytes, input.size())) << c.name;
        ++runs;
      }
  }
  EXPECT_GT(runs, 100);
  const std::string only_rules = "rule r { Resources.*.Properties.Tags[*].Key == 'k' }";
  EXPECT_LT(FuzzEval(reinterpret_cast<const std::uint8_t*>(only_rules.data()), only_rules.size()),
            std::uint64_t{1} << 60);
}

}  // namespace
}  // namespace vigil::guard
