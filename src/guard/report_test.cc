// The report formatters: serde_json / serde_yaml printing, the structured FileReport, the
// summary table and the generic single-line report. Expected texts were printed by cfn-guard
// 3.1.1 for the same rules and data.
#include "guard/report.h"

#include <gtest/gtest.h>

#include "guard/data.h"
#include "guard/parser.h"
#include "guard/source.h"

namespace vigil::guard::report {
namespace {

TEST(GuardReportJson, PrettyPrintsLikeSerdeJson) {
  Out o = Out::Object();
  o.Add("name", Out::Str("a\"b\\c\n\x01"));
  o.Add("metadata", Out::Object());
  o.Add("list", Out::Array());
  Out& l = o.Add("values", Out::Array());
  l.Push(Out::Int(-3));
  l.Push(Out::Float(1.0));
  l.Push(Out::Float(0.5));
  l.Push(Out::Bool(true));
  l.Push(Out::Null());
  EXPECT_EQ(ToJsonPretty(o),
            "{\n  \"name\": \"a\\\"b\\\\c\\n\\u0001\",\n  \"metadata\": {},\n  \"list\": [],\n"
            "  \"values\": [\n    -3,\n    1.0,\n    0.5,\n    true,\n    null\n  ]\n}");
  EXPECT_EQ(ToJsonCompact(o),
            "{\"name\":\"a\\\"b\\\\c\\n\\u0001\",\"metadata\":{},\"list\":[],\"values\":[-3,1.0,"
            "0.5,true,null]}");
}

TEST(GuardReportYaml, QuotesOnlyWhatWouldReadBackAsAnotherType) {
  Out o = Out::Object();
  for (const char* s : {"true", "null", "~", "12", "-3", "0x1F", "1e5", ".5", "", "yes", "on",
                        "1_000", "a: b", "- x", "#c", "x #y", " lead", "it's", "plain text"})
    o.Add(s, Out::Str(s));
  EXPECT_EQ(ToYaml(o),
            "'true': 'true'\n'null': 'null'\n'~': '~'\n'12': '12'\n'-3': '-3'\n'0x1F': '0x1F'\n"
            "'1e5': '1e5'\n'.5': '.5'\n'': ''\nyes: yes\non: on\n1_000: 1_000\n'a: b': 'a: b'\n"
            "'- x': '- x'\n'#c': '#c'\n'x #y': 'x #y'\n' lead': ' lead'\nit's: it's\n"
            "plain text: plain text\n");
}

TEST(GuardReportYaml, EscapesWhatLibyamlCannotPrint) {
  // NUL, a C0 control, LS, PS, a C1 control, NEL, then é (printable) and a tab.
  EXPECT_EQ(
      ToYaml(Out::Str(std::string("\0\x1F\xE2\x80\xA8\xE2\x80\xA9\xC2\x90\xC2\x85\xC3\xA9\t", 15))),
      "\"\\0\\x1F\\L\\P\\x90\\N\xC3\xA9\\t\"\n");
}

TEST(GuardReportYaml, BlockStyleNestingAndMultilineStrings) {
  Out o = Out::Object();
  Out& list = o.Add("not_compliant", Out::Array());
  Out rule = Out::Object();
  rule.Add("name", Out::Str("r"));
  rule.Add("metadata", Out::Object());
  Out& checks = rule.Add("checks", Out::Array());
  checks.Push(Out::Str("two\nlines"));
  checks.Push(Out::Str("\n  indented\n  "));  // trailing spaces: double-quoted
  list.Push(Out::Variant("Rule", std::move(rule)));
  o.Add("empty", Out::Array());
  EXPECT_EQ(ToYaml(o),
            "not_compliant:\n- Rule:\n    name: r\n    metadata: {}\n    checks:\n    - |-\n"
            "      two\n      lines\n    - \"\\n  indented\\n  \"\nempty: []\n");
}

// One evaluation of `rules` over `data`, kept alive for the report functions.
struct Run {
  Source source;
  RulesFile file;
  CompiledRules compiled;
  DataDocument doc;
  Evaluation ev;
};

std::unique_ptr<Run> Evaluate(const std::string& rules, const std::string& data) {
  auto r = std::unique_ptr<Run>(new Run{Source("r.guard", rules), {}, {}, {}, {}});
  auto file = Parse(r->source);
  EXPECT_TRUE(file.ok()) << file.status().message();
  r->file = std::move(*file);
  auto compiled = CompiledRules::Compile(r->file, "r.guard");
  EXPECT_TRUE(compiled.ok());
  r->compiled = std::move(*compiled);
  auto doc = DataDocument::Load("d.json", data);
  EXPECT_TRUE(doc.ok());
  r->doc = std::move(*doc);
  EvalOptions o;
  o.data_file_name = "d.json";
  auto ev = guard::Evaluate(r->compiled, r->doc.root(), o);
  EXPECT_TRUE(ev.ok()) << ev.status().message();
  r->ev = std::move(*ev);
  return r;
}

constexpr const char* kRules =
    "rule kms_on { configuration.keyRotation == true <<rotate keys>> }\n"
    "rule named { configuration.name exists }\n"
    "rule skipped when configuration.kind == \"x\" { configuration.a exists }\n";
constexpr const char* kData = "{\"configuration\": {\"keyRotation\": false, \"name\": \"k\"}}";

TEST(GuardReport, FileReportHasFailedClausesAndSortedNames) {
  const auto r = Evaluate(kRules, kData);
  const FileReport rep = BuildFileReport(r->ev);
  EXPECT_EQ(rep.name, "d.json");
  EXPECT_EQ(rep.status, EvalStatus::kFail);
  EXPECT_EQ(rep.compliant, (std::set<std::string>{"named"}));
  EXPECT_EQ(rep.not_applicable, (std::set<std::string>{"skipped"}));
  ASSERT_EQ(rep.not_compliant.size(), 1u);
  const std::string json = ToJsonCompact(rep.not_compliant[0]);
  EXPECT_EQ(json,
            "{\"Rule\":{\"name\":\"kms_on\",\"metadata\":{},\"messages\":{\"custom_message\":null,"
            "\"error_message\":null},\"checks\":[{\"Clause\":{\"Binary\":{\"context\":\" "
            "configuration.keyRotation EQUALS  true\",\"messages\":{\"custom_message\":\"rotate "
            "keys\",\"error_message\":\"Check was not compliant as property value "
            "[Path=/configuration/keyRotation[L:0,C:34] Value=false] not equal to value "
            "[Path=[L:0,C:0] Value=true].\"},\"check\":{\"Resolved\":{\"from\":{\"path\":\"/"
            "configuration/keyRotation\",\"value\":false},\"to\":{\"path\":\"\",\"value\":true},"
            "\"comparison\":[\"Eq\",false]}}}}}]}}");
}

TEST(GuardReport, CombineJoinsStatusesAndLists) {
  FileReport a, b;
  a.status = EvalStatus::kSkip;
  b.status = EvalStatus::kPass;
  a.compliant = {"x"};
  b.compliant = {"a"};
  b.not_compliant.push_back(Out::Str("c"));
  a.Combine(std::move(b));
  EXPECT_EQ(a.status, EvalStatus::kPass);
  EXPECT_EQ(a.compliant, (std::set<std::string>{"a", "x"}));
  EXPECT_EQ(a.not_compliant.size(), 1u);
  FileReport f;
  f.status = EvalStatus::kFail;
  FileReport p;
  p.status = EvalStatus::kPass;
  f.Combine(std::move(p));
  EXPECT_EQ(f.status, EvalStatus::kFail);
}

TEST(GuardReport, SummaryTablePadsRuleNamesAndFollowsTheMask) {
  const auto r = Evaluate(kRules, kData);
  EXPECT_EQ(SummaryTable(r->ev, "r.guard", "d.json", kShowFail),
            "d.json Status = FAIL\nFAILED rules\nr.guard/kms_on     FAIL\n---\n");
  EXPECT_EQ(SummaryTable(r->ev, "r.guard", "d.json", kShowPass | kShowFail | kShowSkip),
            "d.json Status = FAIL\nSKIP rules\nr.guard/skipped    SKIP\nPASS rules\n"
            "r.guard/named      PASS\nFAILED rules\nr.guard/kms_on     FAIL\n---\n");
  EXPECT_EQ(SummaryTable(r->ev, "r.guard", "d.json", 0), "");
}

TEST(GuardReport, GenericSingleLineReport) {
  const auto r = Evaluate(kRules, kData);
  EXPECT_EQ(FileDetails(r->ev, r->doc.root(), r->doc.text(), "r.guard", "d.json",
                        Format::kSingleLineSummary, kShowFail),
            "Evaluation of rules r.guard against data d.json\n--\nProperty "
            "[/configuration/keyRotation] in data [d.json] is not compliant with [kms_on] because "
            "provided value [false] did not match expected value [true]. Error Message [rotate "
            "keys]\n--\n");
  EXPECT_EQ(FileDetails(r->ev, r->doc.root(), r->doc.text(), "r.guard", "d.json",
                        Format::kSingleLineSummary, 0),
            "");
}

TEST(GuardReport, CmpTextKeepsCfnGuardSpelling) {
  EXPECT_STREQ(CmpText(CmpOperator::kIsBool, false), "IS BOOl");
  EXPECT_STREQ(CmpText(CmpOperator::kIn, true), "NOT IN");
}

}  // namespace
}  // namespace vigil::guard::report
