// The Guard differential corpus (tests/guard-corpus): every (rules file, data file) pair it
// holds, evaluated by vigil, against the verdicts the real cfn-guard 3.1.1 gave
// (expected.json, written by tests/guard-corpus/regen). Per pair: the exit code (0, 19, 5 for
// rules that do not parse, 255 for evaluation and data errors), the file status and each rule's
// PASS / FAIL / SKIP. Runs without the cfn-guard binary; the Control Tower rules it references
// come from the npm package scripts/install-cfn-guard installs, and their pairs are skipped
// (and counted) without it.
//
// Known cfn-guard defects vigil does not reproduce (docs/guard.md): pairs where cfn-guard
// panics (exit 101) are checked to be an error in vigil, any error.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "guard/data.h"
#include "guard/eval.h"
#include "guard/guard_test_util.h"
#include "guard/parser.h"
#include "guard/regex_syntax.h"
#include "guard/report.h"
#include "guard/value.h"
#include "json/value.h"

namespace vigil::guard {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::SourceDir;
using testing::ToolsDir;

const fs::path kCorpus = SourceDir() / "tests" / "guard-corpus";

fs::path Resolve(std::string_view p) {
  constexpr std::string_view kCt = "${CT}/";
  if (p.substr(0, kCt.size()) == kCt)
    return ToolsDir() / "cdk-validator-cfnguard" / "rules" / "control-tower" / "cfn-guard" /
           std::string(p.substr(kCt.size()));
  return kCorpus / std::string(p);
}

// A rules file, parsed and compiled once for all its pairs.
struct Rules {
  std::unique_ptr<Source> source;
  std::optional<RulesFile> file;
  std::optional<CompiledRules> compiled;
};

int Rank(std::string_view status) { return status == "FAIL" ? 2 : status == "PASS" ? 1 : 0; }

TEST(GuardDifferentialCorpus, EveryPairAgreesWithCfnGuard) {
  if (!fs::exists(kCorpus / "expected.json")) GTEST_SKIP() << "no corpus";
  const std::string expected_text = ReadFile(kCorpus / "expected.json");
  auto expected = json::Document::Parse(expected_text);
  ASSERT_TRUE(expected.ok()) << expected.status().message();

  std::map<std::string, Rules> rules_cache;
  std::map<std::string, std::unique_ptr<DataDocument>> data_cache;
  size_t checked = 0, skipped_ct = 0, verdicts = 0, errors = 0, reports = 0, fail_pairs = 0;
  for (const json::Value pair : expected->Root().Get("pairs").Elements()) {
    const std::string rules_name(pair.Get("rules").String().value_or(""));
    const std::string data_name(pair.Get("data").String().value_or(""));
    const std::int64_t want_exit = pair.Get("exit").Int().value_or(-1);
    std::string id = rules_name + " over " + data_name;
    const fs::path rules_path = Resolve(rules_name);
    if (!fs::exists(rules_path)) {
      ++skipped_ct;
      continue;
    }
    Rules& rules = rules_cache[rules_name];
    if (!rules.source) {
      rules.source = std::make_unique<Source>(rules_path.filename().string(), ReadFile(rules_path));
      auto file = Parse(*rules.source);
      if (file.ok()) {
        rules.file = std::move(file).value();
        auto compiled = CompiledRules::Compile(*rules.file, rules_path.filename().string());
        if (compiled.ok()) rules.compiled = std::move(compiled).value();
      }
    }
    ++checked;
    int exit = 0;
    std::map<std::string, std::string> got;  // rule -> status, FAIL over PASS over SKIP
    std::string status;
    if (!rules.file) {
      exit = 5;
    } else {
      // Input parameters (-i) first, merged in order, then the data file.
      std::vector<std::string> inputs;
      for (const json::Value p : pair.Get("params").Elements())
        inputs.emplace_back(p.String().value_or(""));
      inputs.push_back(data_name);
      std::vector<std::unique_ptr<DataDocument>> merges;  // each refers to the previous
      const DataDocument* doc = nullptr;
      Status load_error = Status::Ok();
      for (const std::string& in : inputs) {
        auto& cached = data_cache[in];
        if (!cached) {
          const fs::path path = kCorpus / in;
          auto loaded = DataDocument::Load(path.filename().string(), ReadFile(path));
          if (!loaded.ok()) {
            load_error = loaded.status();
            data_cache.erase(in);
            break;
          }
          cached = std::make_unique<DataDocument>(std::move(loaded).value());
        }
        if (doc == nullptr) {
          doc = cached.get();
          continue;
        }
        auto next = DataDocument::Merge(*doc, *cached);
        if (!next.ok()) {
          load_error = next.status();
          break;
        }
        merges.push_back(std::make_unique<DataDocument>(std::move(next).value()));
        doc = merges.back().get();
      }
      if (!load_error.ok() || !rules.compiled) {
        exit = 255;
      } else {
        EvalOptions options;
        options.data_file_name = fs::path(data_name).filename().string();
        options.record = false;
        auto ev = Evaluate(*rules.compiled, doc->root(), options);
        if (!ev.ok()) {
          exit = 255;
        } else {
          exit = ev->status() == EvalStatus::kFail ? 19 : 0;
          status = StatusName(ev->status());
          for (const RuleStatus& r : ev->rules()) {
            std::string& s = got[std::string(r.name)];
            if (s.empty() || Rank(StatusName(r.status)) > Rank(s)) s = StatusName(r.status);
          }
          if (ev->status() == EvalStatus::kFail && fail_pairs++ % 4 == 0) {
            // The structured report is the same from the tree of failures only (every fourth
            // failing pair: the test runs under the sanitizers in CI; the eval fuzzer checks the
            // same on every input).
            options.record = true;
            auto whole = Evaluate(*rules.compiled, doc->root(), options);
            options.failures_only = true;
            auto failures = Evaluate(*rules.compiled, doc->root(), options);
            ASSERT_TRUE(whole.ok() && failures.ok()) << id;
            EXPECT_EQ(report::ToJsonPretty(report::BuildFileReport(*whole, data_name).TakeOut()),
                      report::ToJsonPretty(report::BuildFileReport(*failures, data_name).TakeOut()))
                << id;
            EXPECT_LE(failures->records().size(), whole->records().size()) << id;
            ++reports;
          }
        }
      }
    }
    if (want_exit == 101) {  // cfn-guard panicked: vigil must at least refuse
      EXPECT_NE(exit, 0) << id;
      ++errors;
      continue;
    }
    EXPECT_EQ(exit, want_exit) << id;
    if (want_exit == 5 || want_exit == 255) {
      ++errors;
      continue;
    }
    EXPECT_EQ(status, pair.Get("status").String().value_or("")) << id;
    std::map<std::string, std::string> want;
    for (const auto& [name, v] : pair.Get("verdicts").Members())
      want[std::string(name)] = std::string(v.String().value_or(""));
    EXPECT_EQ(got, want) << id;
    verdicts += want.size();
  }
  std::printf(
      "guard corpus: %zu pairs checked (%zu rule verdicts, %zu error pairs, %zu failure reports "
      "compared), %zu skipped (Control Tower rules not installed)\n",
      checked, verdicts, errors, reports, skipped_ct);
  EXPECT_GT(checked, 300u);
}

// cfn-guard's regex crate takes counts up to its 10 MiB program limit; RE2 stops at 1000.
TEST(GuardRegex, LargeCountsAreAcceptedAsCfnGuardAcceptsThemAndRewrittenForRe2) {
  EXPECT_EQ(CheckRegexSyntax("^x{100000}$"), std::nullopt);
  EXPECT_EQ(CheckRegexSyntax("x{327680}"), std::nullopt);
  EXPECT_NE(CheckRegexSyntax("x{327681}"), std::nullopt);
  EXPECT_NE(CheckRegexSyntax("(x{1000}){1000}"), std::nullopt);
  EXPECT_EQ(ExpandLargeRepeats("x{10}"), "x{10}");
  EXPECT_EQ(ExpandLargeRepeats("^x{2500}$"), "^(?:x){1000}(?:x){1000}(?:x){500}$");
  EXPECT_EQ(ExpandLargeRepeats("a{0,1500}"), "(?:a){0,1000}(?:a){0,500}");
  EXPECT_EQ(ExpandLargeRepeats("[ab]{1001,}"), "(?:[ab]){1000}(?:[ab]){1}(?:[ab])*");
  EXPECT_EQ(ExpandLargeRepeats("(ab){2000}"), "(?:(ab)){1000}(?:(ab)){1000}");
  EXPECT_EQ(ExpandLargeRepeats("\\d{1200}"), "(?:\\d){1000}(?:\\d){200}");
  // Compiled and matched at a size RE2's DFA handles (at 100000, RE2 falls back to its NFA and a
  // search takes minutes under the sanitizers).
  Regex re("^x{5000}$");
  ASSERT_TRUE(re.ok());
  EXPECT_TRUE(re.Search(std::string(5000, 'x')));
  EXPECT_FALSE(re.Search(std::string(4999, 'x')));
  EXPECT_FALSE(re.Search(std::string(5001, 'x')));
}

}  // namespace
}  // namespace vigil::guard
