// The evaluator against cfn-guard 3.1.1 on the cases of testdata/eval/*.cases.
//
// For every (rules, data) pair: the exit status (pass/fail/error), the status of every rule, the
// error text when evaluation stops, and — with the binary installed (scripts/install-cfn-guard)
// — the whole record tree, compared with what `cfn-guard validate --print-json` prints.
// Without the binary the outcomes are checked against testdata/eval/golden.json, recorded from
// cfn-guard; VIGIL_GUARD_REGEN=1 rewrites it from the live binary.
#include <gtest/gtest.h>
#include <unistd.h>

#include "guard/eval_test_util.h"
#include "json/writer.h"

namespace vigil::guard {
namespace {

using namespace vigil::guard::testing;  // NOLINT(google-build-using-namespace)

struct Pair {
  std::string id;  // "<case>/<data file>"
  std::string rules_name, rules_text, data_name, data_text;
};

std::vector<Pair> AllPairs() {
  std::vector<Pair> out;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(TestData() / "eval"))
    if (e.path().extension() == ".cases") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files)
    for (const auto& c : ReadEvalCases(f))
      for (const auto& [name, text] : c.data)
        out.push_back({c.name + "/" + name, c.name + ".guard", c.rules, name, text});
  return out;
}

std::string RulesText(const std::vector<std::pair<std::string, std::string>>& rules) {
  std::string s;
  for (const auto& [n, st] : rules) s += n + "=" + st + " ";
  return s;
}

class TempDir {
 public:
  TempDir() : dir_(fs::temp_directory_path() / ("vigil-eval-" + std::to_string(getpid()))) {
    fs::create_directories(dir_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path Write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    WriteFile(p, text);
    return p;
  }

 private:
  fs::path dir_;
};

TEST(GuardEvalDifferential, CorpusIsLarge) {
  // The corpus covers every language feature; keep it from shrinking by accident.
  EXPECT_GE(AllPairs().size(), 120u);
}

TEST(GuardEvalDifferential, MatchesGolden) {
  const fs::path golden_path = TestData() / "eval" / "golden.json";
  auto golden = json::Document::Parse(ReadFile(golden_path));
  ASSERT_TRUE(golden.ok()) << golden.status().message();
  int checked = 0;
  for (const Pair& p : AllPairs()) {
    const json::Value want = golden->Root().Get(p.id);
    if (want.Missing()) continue;  // new case: recorded on the next regeneration
    // Golden outcomes name the data file as the live run did: by its bare name here.
    const EvalOutcome got = RunVigil(p.rules_name, p.rules_text, p.data_name, p.data_text);
    const int want_exit = static_cast<int>(want.Get("exit").Int().value_or(-1));
    EXPECT_EQ(got.exit, want_exit) << p.id << ": " << got.error;
    if (want_exit == 255) {
      EXPECT_EQ(got.error, want.Get("error").String().value_or("")) << p.id;
    }
    std::vector<std::pair<std::string, std::string>> want_rules;
    for (const auto& r : want.Get("rules").Elements())
      want_rules.emplace_back(std::string(r.At(0).String().value_or("")),
                              std::string(r.At(1).String().value_or("")));
    if (want_exit == 0 || want_exit == 19) {
      EXPECT_EQ(RulesText(got.rules), RulesText(want_rules)) << p.id;
    }
    ++checked;
  }
  EXPECT_GE(checked, 100);
}

TEST(GuardEvalDifferential, MatchesLiveCfnGuard) {
  const auto bin = CfnGuard();
  if (!bin) GTEST_SKIP() << "cfn-guard not installed (scripts/install-cfn-guard)";
  TempDir tmp;
  const bool regen = std::getenv("VIGIL_GUARD_REGEN") != nullptr;
  json::Writer golden(1);
  golden.BeginObject();
  int compared = 0;
  for (const Pair& p : AllPairs()) {
    const fs::path rules = tmp.Write(p.rules_name, p.rules_text);
    const fs::path data = tmp.Write(p.data_name, p.data_text);
    const EvalOutcome cfn = RunCfnGuardEval(*bin, rules, data);
    const EvalOutcome ours = RunVigil(p.rules_name, p.rules_text, data.string(), p.data_text);
    ++compared;
    EXPECT_EQ(ours.exit, cfn.exit)
        << p.id << ": vigil says " << ours.error << "; cfn-guard says " << cfn.error;
    if (cfn.exit == 255 && ours.exit == 255) {
      EXPECT_EQ(ours.error, cfn.error) << p.id;
    }
    if ((cfn.exit == 0 || cfn.exit == 19) && ours.exit == cfn.exit) {
      EXPECT_EQ(RulesText(ours.rules), RulesText(cfn.rules)) << p.id;
      std::string where;
      EXPECT_TRUE(SameJsonText(cfn.tree, ours.tree, where))
          << p.id << ": record trees differ at " << where;
      // Statuses must not depend on recording.
      const EvalOutcome quiet =
          RunVigil(p.rules_name, p.rules_text, data.string(), p.data_text, false);
      EXPECT_EQ(RulesText(quiet.rules), RulesText(ours.rules)) << p.id;
    }
    golden.Key(p.id).BeginObject();
    golden.Field("exit", cfn.exit);
    if (cfn.exit == 255) {
      // Recorded with the data file's bare name, as MatchesGolden runs it.
      std::string error = cfn.error;
      const std::string dir = data.parent_path().string() + "/";
      for (size_t at; (at = error.find(dir)) != std::string::npos;) error.erase(at, dir.size());
      golden.Field("error", error);
    }
    golden.Key("rules").BeginArray();
    for (const auto& [n, st] : cfn.rules) golden.BeginArray().String(n).String(st).EndArray();
    golden.EndArray();
    golden.EndObject();
  }
  golden.EndObject();
  if (regen) WriteFile(TestData() / "eval" / "golden.json", golden.str() + "\n");
  EXPECT_GE(compared, 120);
}

}  // namespace
}  // namespace vigil::guard
