// The parser against cfn-guard 3.1.1 on corpora: the snippet cases (testdata), the examples in
// the Guard reference docs (../shared/aws-config/formats/guard), the Control Tower rules shipped
// in the npm package, and random mutations of all of them.
//
// Without the binary the snippet and docs outcomes are checked against a golden file recorded
// from cfn-guard (testdata/snippets.golden.json); with it (scripts/install-cfn-guard) every check
// also runs live. VIGIL_GUARD_REGEN=1 rewrites the golden file from the live binary.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "guard/ast_json.h"
#include "guard/guard_test_util.h"
#include "guard/lexer.h"
#include "guard/parser.h"
#include "json/writer.h"
#include "json/yaml.h"

namespace vigil::guard {
namespace {

using namespace vigil::guard::testing;  // NOLINT(google-build-using-namespace)

struct Outcome {
  bool accepted = false;
  std::string tree;  // DumpCfnGuardJson when accepted ("null" for an empty file)
  std::string error;
};

Outcome ParseText(const std::string& name, const std::string& text) {
  Source src(name, text);
  Diagnostic d;
  auto file = Parse(src, &d);
  Outcome o;
  o.accepted = file.has_value();
  if (file) o.tree = file->empty ? "null" : DumpCfnGuardJson(*file, src);
  if (!file) o.error = Format(src, d);
  return o;
}

class TempDir {
 public:
  TempDir() : dir_(fs::temp_directory_path() / ("vigil-guard-" + std::to_string(getpid()))) {
    fs::create_directories(dir_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path Write(const std::string& text) {
    const fs::path p = dir_ / ("case" + std::to_string(n_++) + ".guard");
    WriteFile(p, text);
    return p;
  }

 private:
  fs::path dir_;
  int n_ = 0;
};

// Compares vigil with the live cfn-guard on one text; returns "" or what differs.
std::string CompareLive(const fs::path& bin, TempDir& tmp, const std::string& name,
                        const std::string& text, CfnGuardTree* cfn_out = nullptr) {
  const CfnGuardTree cfn = RunCfnGuardParseTree(bin, tmp.Write(text));
  if (cfn_out) *cfn_out = cfn;
  const Outcome ours = ParseText(name, text);
  if (cfn.accepted != ours.accepted)
    return name + ": cfn-guard " + (cfn.accepted ? "accepts" : "rejects") + ", vigil " +
           (ours.accepted ? "accepts" : "rejects:\n" + ours.error);
  if (!cfn.accepted) return "";
  std::string where;
  if (!SameJsonText(cfn.json, ours.tree, where)) return name + ": trees differ at " + where;
  return "";
}

std::vector<Case> DocsExamples() {
  std::vector<Case> out;
  const fs::path dir = GuardDocsDir();
  if (dir.empty()) return out;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    if (f.extension() == ".md") {
      for (auto& c : MarkdownGuardBlocks(f)) out.push_back(std::move(c));
    } else if (f.extension() == ".guard") {
      out.push_back({f.filename().string(), ReadFile(f)});
    } else if (f.extension() == ".yaml") {
      // Conformance packs: the PolicyText of every CUSTOM_POLICY rule.
      auto json_text = json::YamlToJson(ReadFile(f));
      if (!json_text.ok()) continue;
      auto doc = json::Document::Parse(*json_text);
      if (!doc.ok()) continue;
      for (const auto& r : doc->Root().Get("Resources").Members()) {
        const auto text =
            r.value.Get("Properties").Get("Source").Get("CustomPolicyDetails").Get("PolicyText");
        if (text.IsString())
          out.push_back(
              {f.filename().string() + "#" + std::string(r.key), std::string(*text.String())});
      }
    }
  }
  return out;
}

const fs::path kGolden = TestData() / "snippets.golden.json";

TEST(GuardCorpus, SnippetsMatchCfnGuardGolden) {
  const auto cases = ReadCases(TestData() / "snippets.guard-cases");
  ASSERT_GT(cases.size(), 50u);
  auto golden = json::Document::Parse(ReadFile(kGolden));
  ASSERT_TRUE(golden.ok()) << golden.status().message();
  int accepted = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const json::Value want = golden->Root().Get("cases").Get(c.name);
    ASSERT_FALSE(want.Missing()) << "no golden outcome; run with VIGIL_GUARD_REGEN=1";
    const Outcome got = ParseText(c.name + ".guard", c.text);
    ASSERT_EQ(got.accepted, *want.Get("accepted").Bool()) << got.error;
    if (!got.accepted) continue;
    ++accepted;
    auto tree = json::Document::Parse(got.tree);
    ASSERT_TRUE(tree.ok());
    std::string where;
    EXPECT_TRUE(SameJson(tree->Root(), want.Get("tree"), where)) << where;
  }
  EXPECT_GT(accepted, 30);
}

TEST(GuardCorpus, DocsExamplesMatchCfnGuardGolden) {
  const auto examples = DocsExamples();
  if (examples.empty()) GTEST_SKIP() << "no ../shared/aws-config/formats/guard";
  auto golden = json::Document::Parse(ReadFile(kGolden));
  ASSERT_TRUE(golden.ok());
  int accepted = 0;
  for (const auto& c : examples) {
    SCOPED_TRACE(c.name);
    const json::Value want = golden->Root().Get("docs").Get(c.name);
    if (want.Missing()) {
      ADD_FAILURE() << "no golden outcome; run with VIGIL_GUARD_REGEN=1";
      continue;
    }
    const Outcome got = ParseText(c.name, c.text);
    EXPECT_EQ(got.accepted, *want.Bool()) << got.error;
    accepted += got.accepted;
  }
  EXPECT_GT(accepted, 60);
}

// The rule files AWS publishes as examples must parse: the .guard file and every PolicyText.
TEST(GuardCorpus, DocsRuleFilesParse) {
  const auto examples = DocsExamples();
  if (examples.empty()) GTEST_SKIP() << "no ../shared/aws-config/formats/guard";
  int n = 0;
  for (const auto& c : examples) {
    if (c.name.find(".md#") != std::string::npos) continue;
    SCOPED_TRACE(c.name);
    const Outcome got = ParseText(c.name, c.text);
    EXPECT_TRUE(got.accepted) << got.error;
    ++n;
  }
  EXPECT_GE(n, 5);
}

TEST(GuardCorpus, ControlTowerRulesParse) {
  const auto files = ControlTowerRules();
  if (files.empty()) GTEST_SKIP() << "cfn-guard package not installed (scripts/install-cfn-guard)";
  EXPECT_GT(files.size(), 200u);
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    const Outcome got = ParseText(f.filename().string(), ReadFile(f));
    EXPECT_TRUE(got.accepted) << got.error;
  }
}

// Everything above, live against the binary; also rewrites the golden file on request.
TEST(GuardDifferential, CorporaMatchCfnGuardLive) {
  const auto bin = CfnGuard();
  if (!bin) GTEST_SKIP() << "cfn-guard not installed (scripts/install-cfn-guard)";
  TempDir tmp;
  json::Writer golden(2);
  golden.BeginObject().Key("cases").BeginObject();
  for (const auto& c : ReadCases(TestData() / "snippets.guard-cases")) {
    CfnGuardTree cfn;
    const std::string diff = CompareLive(*bin, tmp, c.name + ".guard", c.text, &cfn);
    EXPECT_EQ(diff, "");
    golden.Key(c.name).BeginObject().Field("accepted", cfn.accepted).Key("tree");
    if (cfn.accepted)
      golden.Raw(json::Document::Parse(cfn.json)->Root().ToJson());
    else
      golden.Null();
    golden.EndObject();
  }
  golden.EndObject().Key("docs").BeginObject();
  for (const auto& c : DocsExamples()) {
    CfnGuardTree cfn;
    EXPECT_EQ(CompareLive(*bin, tmp, c.name, c.text, &cfn), "");
    golden.Field(c.name, cfn.accepted);
  }
  golden.EndObject().EndObject();
  for (const auto& f : ControlTowerRules())
    EXPECT_EQ(CompareLive(*bin, tmp, f.filename().string(), ReadFile(f)), "");
  if (const char* regen = std::getenv("VIGIL_GUARD_REGEN"); regen && std::string(regen) == "1")
    WriteFile(kGolden, golden.Take() + "\n");
}

// Random edits of corpus texts (deleting, inserting Guard tokens, duplicating slices): vigil
// must accept exactly what cfn-guard accepts, with the same tree. Deterministic (fixed seed);
// VIGIL_GUARD_MUTATIONS sets the count.
TEST(GuardDifferential, MutationsMatchCfnGuardLive) {
  const auto bin = CfnGuard();
  if (!bin) GTEST_SKIP() << "cfn-guard not installed (scripts/install-cfn-guard)";
  std::vector<std::string> texts;
  for (const auto& c : ReadCases(TestData() / "snippets.guard-cases")) texts.push_back(c.text);
  for (const auto& c : DocsExamples()) texts.push_back(c.text);
  for (const auto& f : ControlTowerRules()) texts.push_back(ReadFile(f));
  static const char* const kTokens[] = {"\n",      " ",          "\t",
                                        "#c\n",    "{",          "}",
                                        "[",       "]",          "(",
                                        ")",       ",",          ".",
                                        "*",       "%x",         "this",
                                        "some ",   "not ",       "!",
                                        "==",      "!=",         "<",
                                        ">",       "<=",         ">=",
                                        "in ",     "IN ",        "exists",
                                        "empty",   "is_string",  "keys",
                                        "when ",   "rule ",      "let ",
                                        "=",       ":=",         "or ",
                                        "OR ",     "|OR|",       "<<m>>",
                                        "<<",      ">>",         "\"s\"",
                                        "'s'",     "/re/",       "/",
                                        "r[1,2]",  "r(1.5,2.0]", "r[a,z)",
                                        "1",       "-1",         "1.5",
                                        "1e+5",    "true",       "null",
                                        "x",       "y_1",        "AWS::S3::Bucket",
                                        "count(",  "%y)",        ":",
                                        "|",       "::",         "\r\n",
                                        "\\",      "\"",         "'",
                                        "a.b",     "[*]",        "[0]",
                                        "[ x ]",   "[k|",        "keys ==",
                                        "not in ", "!empty",     "-",
                                        "\xc3\xa4"};
  std::mt19937 rng(20240611);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % (n == 0 ? 1 : n)); };
  int runs = 400;
  if (const char* env = std::getenv("VIGIL_GUARD_MUTATIONS")) runs = std::atoi(env);
  TempDir tmp;
  int failures = 0;
  for (int i = 0; i < runs && failures < 10; ++i) {
    // A window of up to 25 lines of one text, then 1-3 edits.
    std::vector<std::string> lines;
    std::istringstream in(texts[pick(texts.size())]);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    const size_t a = pick(lines.size());
    const size_t b = std::min(lines.size(), a + 1 + pick(25));
    std::string s;
    for (size_t k = a; k < b; ++k) s += lines[k] + (k + 1 < b ? "\n" : "");
    const int edits = 1 + static_cast<int>(pick(3));
    for (int e = 0; e < edits; ++e) {
      const size_t at = pick(s.size() + 1);
      const size_t op = pick(100);
      if (op < 35 && !s.empty()) {
        s.erase(at, 1 + pick(4));
      } else if (op < 80) {
        s.insert(at, kTokens[pick(std::size(kTokens))]);
      } else {
        const std::string slice = s.substr(at, 1 + pick(30));
        s.insert(pick(s.size() + 1), slice);
      }
    }
    // cfn-guard needs valid UTF-8 to read the file at all; edits can split a character.
    if (FindInvalidUtf8(s) != std::string::npos) continue;
    const std::string diff = CompareLive(*bin, tmp, "mutation" + std::to_string(i), s);
    if (!diff.empty()) {
      ++failures;
      ADD_FAILURE() << diff << "\n--- text ---\n" << s;
    }
  }
}

}  // namespace
}  // namespace vigil::guard
