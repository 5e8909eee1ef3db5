// `cfn-guard test` (guard/src/commands/test.rs and reporters/test/): Guard unit-test files run
// against a rules file, reported as plain text or as JSON/YAML.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include "guard/data.h"
#include "guard/parser.h"
#include "guard/report.h"
#include "guard/source.h"

namespace vigil::guard::report {
namespace {

namespace fs = std::filesystem;

constexpr int kTestOk = 0;
constexpr int kTestError = 1;
constexpr int kTestFailure = 7;

struct Abort {
  std::string message;  // printed after "Error occurred "
};

std::optional<std::string> ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Spec {
  std::string name;
  bool has_name = false;
  const Node* input = nullptr;
  std::vector<std::pair<std::string, std::string>> expectations;  // rule → status text
};

const Node* Get(const Node* map, std::string_view key) {
  return map && map->IsMap() ? map->Find(key) : nullptr;
}

// A test file: a list of {name?, input, expectations: {rules: {rule: STATUS}}}.
bool ReadSpecs(const fs::path& path, std::vector<std::unique_ptr<DataDocument>>& docs,
               std::vector<Spec>& specs, std::string& error) {
  auto text = ReadAll(path);
  auto doc = text ? DataDocument::Load(path.filename().string(), std::move(*text))
                  : Result<DataDocument>(Status::Error("unreadable"));
  const Node* root = doc.ok() ? &doc->root() : nullptr;
  bool ok = root && root->IsList();
  if (ok) {
    for (std::uint32_t i = 0; i < root->size && ok; ++i) {
      const Node& e = root->Element(i);
      const Node* rules = Get(Get(&e, "expectations"), "rules");
      const Node* input = Get(&e, "input");
      if (!input || !rules || !rules->IsMap()) {
        ok = false;
        break;
      }
      Spec s;
      if (const Node* n = Get(&e, "name"); n && n->kind == Kind::kString) {
        s.name = std::string(n->text());
        s.has_name = true;
      }
      s.input = input;
      for (std::uint32_t k = 0; k < rules->size; ++k) {
        const Node& v = rules->EntryValue(k);
        s.expectations.emplace_back(std::string(rules->EntryKey(k).text()),
                                    v.kind == Kind::kString ? std::string(v.text()) : "");
      }
      specs.push_back(std::move(s));
    }
  }
  if (!ok) {
    error = fmt::format(
        "Parser Error when parsing `Unable to process data in file {}, Error invalid test "
        "specification,`",
        path.string());
    return false;
  }
  docs.push_back(std::make_unique<DataDocument>(std::move(*doc)));
  return true;
}

std::optional<EvalStatus> StatusFrom(std::string_view s) {
  if (s == "PASS") return EvalStatus::kPass;
  if (s == "FAIL") return EvalStatus::kFail;
  if (s == "SKIP") return EvalStatus::kSkip;
  return std::nullopt;
}

// get_status_result: the expectation is met when one of the rule's records (a name can be
// defined twice) has the expected status, or, for SKIP, when all of them skipped.
bool Matches(EvalStatus expected, const std::vector<EvalStatus>& got,
             std::vector<EvalStatus>& seen) {
  size_t skipped = 0;
  for (const EvalStatus s : got) {
    if (expected == EvalStatus::kSkip) {
      if (s == EvalStatus::kSkip) ++skipped;
    } else if (s == expected) {
      return true;
    }
    seen.push_back(s);
  }
  return expected == EvalStatus::kSkip && skipped == got.size();
}

std::string StatusList(const std::vector<EvalStatus>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ", ";
    s += StatusName(v[i]);
  }
  return s + "]";
}

struct RuleOutcomes {
  std::vector<std::string> order;  // rule names in file order
  std::map<std::string, std::vector<EvalStatus>> statuses;
};

RuleOutcomes Outcomes(const Evaluation& ev) {
  RuleOutcomes o;
  for (const RuleStatus& r : ev.rules()) {
    const std::string name(r.name);
    auto& v = o.statuses[name];
    if (v.empty()) o.order.push_back(name);
    v.push_back(r.status);
  }
  return o;
}

struct Compiled {
  std::unique_ptr<Source> source;
  std::unique_ptr<RulesFile> file;
  std::unique_ptr<CompiledRules> rules;
};

// Parses a rules file; nullopt with `error` set on a syntax error, an empty Compiled for a file
// with no rules.
std::optional<Compiled> CompileRules(const std::string& name, std::string text,
                                     std::string& error) {
  Compiled c;
  c.source = std::make_unique<Source>(name, std::move(text));
  auto file = Parse(*c.source);
  if (!file.ok()) {
    error = file.status().message();
    while (!error.empty() && error.back() == '\n') error.pop_back();
    return std::nullopt;
  }
  if (file->empty) return c;
  c.file = std::make_unique<RulesFile>(std::move(*file));
  auto compiled = CompiledRules::Compile(*c.file, name);
  if (!compiled.ok()) throw Abort{compiled.status().message()};
  c.rules = std::make_unique<CompiledRules>(std::move(*compiled));
  return c;
}

Evaluation Run(const CompiledRules& rules, const Node& input) {
  EvalOptions o;
  o.record = false;
  auto ev = Evaluate(rules, input, o);
  if (!ev.ok()) throw Abort{ev.status().message()};
  return std::move(*ev);
}

// The plain-text report of one rules file over its test files (GenericReporter).
int PlainReport(const CompiledRules& rules, const std::vector<fs::path>& tests, int& counter,
                std::string& out) {
  int exit_code = kTestOk;
  for (const fs::path& t : tests) {
    std::vector<std::unique_ptr<DataDocument>> docs;
    std::vector<Spec> specs;
    std::string error;
    if (!ReadSpecs(t, docs, specs, error)) {
      out += "Error processing " + error + "\n";
      exit_code = kTestError;
      continue;
    }
    for (const Spec& spec : specs) {
      out += fmt::format("Test Case #{}\n", counter++);
      if (spec.has_name) out += fmt::format("Name: {}\n", spec.name);
      const Evaluation ev = Run(rules, *spec.input);
      const RuleOutcomes got = Outcomes(ev);
      std::vector<std::string> passed, failed;
      for (const std::string& rule : got.order) {
        auto exp = std::find_if(spec.expectations.begin(), spec.expectations.end(),
                                [&](const auto& e) { return e.first == rule; });
        if (exp == spec.expectations.end()) {
          out += fmt::format("  No Test expectation was set for Rule {}\n", rule);
          continue;
        }
        const auto expected = StatusFrom(exp->second);
        if (!expected)
          throw Abort{
              fmt::format("Parser Error when parsing `{} is not a valid status`", exp->second)};
        std::vector<EvalStatus> seen;
        if (Matches(*expected, got.statuses.at(rule), seen)) {
          passed.push_back(fmt::format("{}: Expected = {}", rule, StatusName(*expected)));
        } else {
          failed.push_back(fmt::format("{}: Expected = {}, Evaluated = {}", rule,
                                       StatusName(*expected), StatusList(seen)));
        }
      }
      if (!failed.empty()) exit_code = kTestFailure;
      for (const auto& [title, lines] :
           {std::pair<const char*, const std::vector<std::string>*>{"FAIL", &failed},
            {"PASS", &passed}}) {
        if (lines->empty()) continue;
        out += fmt::format("  {} Rules:\n", title);
        for (const auto& l : *lines) out += "    " + l + "\n";
      }
      out += "\n";
    }
  }
  return exit_code;
}

// The structured result of one rules file (TestResult): {rule_file, test_cases} or
// {rule_file, error}.
Out StructuredResult(const std::string& rule_file, const CompiledRules* rules,
                     const std::optional<std::string>& parse_error,
                     const std::vector<fs::path>& tests, int& exit_code) {
  Out result = Out::Object();
  result.Add("rule_file", Out::Str(rule_file));
  if (parse_error) {
    result.Add("error", Out::Str(*parse_error));
    exit_code = kTestError;
    return result;
  }
  Out cases = Out::Array();
  bool any_failed = false;
  for (const fs::path& t : tests) {
    std::vector<std::unique_ptr<DataDocument>> docs;
    std::vector<Spec> specs;
    std::string error;
    if (!ReadSpecs(t, docs, specs, error)) {
      Out err = Out::Object();
      err.Add("rule_file", Out::Str(rule_file));
      err.Add("error", Out::Str(error));
      exit_code = kTestError;
      return err;
    }
    for (const Spec& spec : specs) {
      const Evaluation ev = Run(*rules, *spec.input);
      const RuleOutcomes got = Outcomes(ev);
      Out passed = Out::Array(), failed = Out::Array(), skipped = Out::Array();
      for (const std::string& rule : got.order) {
        auto exp = std::find_if(spec.expectations.begin(), spec.expectations.end(),
                                [&](const auto& e) { return e.first == rule; });
        if (exp == spec.expectations.end()) {
          skipped.Push(Out::Variant("name", Out::Str(rule)));
          continue;
        }
        const auto expected = StatusFrom(exp->second);
        if (!expected) {
          Out err = Out::Object();
          err.Add("rule_file", Out::Str(rule_file));
          err.Add("error", Out::Str(fmt::format("Parser Error when parsing `{} is not a valid "
                                                "status`",
                                                exp->second)));
          exit_code = kTestError;
          return err;
        }
        std::vector<EvalStatus> seen;
        if (Matches(*expected, got.statuses.at(rule), seen)) {
          Out p = Out::Object();
          p.Add("name", Out::Str(rule));
          p.Add("evaluated", Out::Str(StatusName(*expected)));
          passed.Push(std::move(p));
        } else {
          Out f = Out::Object();
          f.Add("name", Out::Str(rule));
          f.Add("expected", Out::Str(StatusName(*expected)));
          Out ev_list = Out::Array();
          for (const EvalStatus s : seen) ev_list.Push(Out::Str(StatusName(s)));
          f.Add("evaluated", std::move(ev_list));
          failed.Push(std::move(f));
          any_failed = true;
        }
      }
      Out tc = Out::Object();
      tc.Add("name", Out::Str(spec.name));
      tc.Add("passed_rules", std::move(passed));
      tc.Add("failed_rules", std::move(failed));
      tc.Add("skipped_rules", std::move(skipped));
      cases.Push(std::move(tc));
    }
  }
  result.Add("test_cases", std::move(cases));
  if (any_failed && exit_code == kTestOk) exit_code = kTestFailure;
  return result;
}

const Out* FieldOf(const Out& o, std::string_view k) {
  for (size_t i = 0; i < o.keys.size(); ++i)
    if (o.keys[i] == k) return &o.items[i];
  return nullptr;
}

// JunitReport::from(&Vec<TestResult>) and its quick-xml serialisation: one <testsuite> per rules
// file (StructuredResult's objects), a <testcase> per passed or failed rule expectation of each
// test case (rules without an expectation are left out), an <error> for a rules or test file that
// could not be read. cfn-guard's times are wall-clock milliseconds; vigil writes 0.
std::string JunitTestReport(const std::vector<const Out*>& results) {
  std::string suites;
  size_t tests = 0, failures = 0, errors = 0;
  for (const Out* result : results) {
    const Out* file = FieldOf(*result, "rule_file");
    const std::string name = XmlEscape(file ? file->s : "");
    if (const Out* error = FieldOf(*result, "error")) {
      ++tests;
      ++errors;
      suites += fmt::format(
          "    <testsuite name=\"{0}\" errors=\"1\" failures=\"0\" time=\"0\">\n"
          "        <testcase name=\"{0}\" time=\"0\" status=\"error\">\n"
          "            <error>{1}</error>\n"
          "        </testcase>\n"
          "    </testsuite>\n",
          name, XmlEscape(error->s));
      continue;
    }
    std::string cases;
    size_t suite_failures = 0;
    if (const Out* tcs = FieldOf(*result, "test_cases")) {
      for (const Out& tc : tcs->items) {
        const Out* tc_name = FieldOf(tc, "name");
        const std::string id = XmlEscape(tc_name ? tc_name->s : "");
        if (const Out* passed = FieldOf(tc, "passed_rules")) {
          for (const Out& p : passed->items) {
            ++tests;
            cases += fmt::format(
                "        <testcase id=\"{}\" name=\"{}\" time=\"0\" status=\"pass\"/>\n", id,
                XmlEscape(FieldOf(p, "name")->s));
          }
        }
        if (const Out* failed = FieldOf(tc, "failed_rules")) {
          for (const Out& f : failed->items) {
            ++tests;
            ++suite_failures;
            std::string evaluated;
            for (const Out& e : FieldOf(f, "evaluated")->items) {
              if (!evaluated.empty()) evaluated += ", ";
              evaluated += e.s;
            }
            cases += fmt::format(
                "        <testcase id=\"{}\" name=\"{}\" time=\"0\">\n"
                "            <failure>{}</failure>\n"
                "        </testcase>\n",
                id, XmlEscape(FieldOf(f, "name")->s),
                XmlEscape(fmt::format("Expected = {}, Evaluated = [{}]", FieldOf(f, "expected")->s,
                                      evaluated)));
          }
        }
      }
    }
    failures += suite_failures;
    suites += fmt::format(
        "    <testsuite name=\"{}\" errors=\"0\" failures=\"{}\" time=\"0\">\n{}    </testsuite>\n",
        name, suite_failures, cases);
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"cfn-guard test report\" "
      "tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"0\">\n{}</testsuites>\n",
      tests, failures, errors, suites);
}

bool IsTestData(const std::string& name, bool single_file_mode) {
  for (const char* e : {".json", ".yaml", ".yml", ".jsn"})
    if (name.ends_with(e)) return true;
  return single_file_mode && (name.ends_with(".JSON") || name.ends_with(".YAML"));
}

// walkdir order: the path itself, then its entries sorted by name, depth first.
void Walk(const fs::path& p, bool by_mtime, std::vector<fs::path>& out) {
  out.push_back(p);
  std::error_code ec;
  if (!fs::is_directory(p, ec)) return;
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(p, ec)) entries.push_back(e.path());
  std::stable_sort(entries.begin(), entries.end(), [by_mtime](const auto& a, const auto& b) {
    if (!by_mtime) return a.filename().native() < b.filename().native();
    std::error_code e1, e2;
    return fs::last_write_time(a, e1) < fs::last_write_time(b, e2);
  });
  for (const auto& e : entries) Walk(e, by_mtime, out);
}

UnitTestOutput Execute(const UnitTestOptions& o) {
  UnitTestOutput r;
  const bool structured = o.output_format != "single-line-summary";
  if (structured && o.verbose)
    throw Abort{
        "Cannot provide an output_type of JSON, YAML, or JUnit while the verbose flag is set"};
  if (o.output_format == "sarif")
    throw Abort{"Cannot provide an output_type of SARIF, SARIF reporter is unsupported."};
  auto emit = [&](const Out& v, bool list) {
    if (o.output_format == "junit") {
      std::vector<const Out*> results;
      if (list) {
        for (const Out& e : v.items) results.push_back(&e);
      } else {
        results.push_back(&v);
      }
      r.out += JunitTestReport(results);
      return;
    }
    r.out += o.output_format == "yaml" ? ToYaml(v) : ToJsonPretty(v);
  };

  if (!o.dir.empty()) {
    if (!fs::exists(o.dir)) throw Abort{fmt::format("The path `{}` does not exist", o.dir)};
    // OrderedTestDirectory: rules files grouped by folder (folders in order), each with the test
    // files in <folder>/tests/ whose names start with the rules file's stem.
    std::vector<fs::path> walked;
    Walk(o.dir, false, walked);
    struct GuardFile {
      std::string prefix;
      fs::path path;
      std::vector<fs::path> tests;
    };
    std::map<std::string, std::vector<GuardFile>> by_dir;
    std::vector<fs::path> others;
    for (const auto& p : walked) {
      std::error_code ec;
      if (!fs::is_regular_file(p, ec)) continue;
      const std::string name = p.filename().string();
      if (name.ends_with(".guard") || name.ends_with(".ruleset")) {
        by_dir[p.parent_path().string()].push_back({name.substr(0, name.rfind('.')), p, {}});
      } else {
        others.push_back(p);
      }
    }
    for (const auto& p : others) {
      const std::string name = p.filename().string();
      if (!IsTestData(name, false) || p.parent_path().filename() != "tests") continue;
      auto it = by_dir.find(p.parent_path().parent_path().string());
      if (it == by_dir.end()) continue;
      for (auto& g : it->second)
        if (name.starts_with(g.prefix)) {
          g.tests.push_back(p);
          break;
        }
    }
    Out results = Out::Array();
    for (auto& [dir, files] : by_dir) {
      for (auto& g : files) {
        if (structured) {
          if (g.tests.empty()) continue;
          std::string error;
          auto c = CompileRules(g.prefix, ReadAll(g.path).value_or(""), error);
          int code = kTestOk;
          if (c && !c->rules) continue;
          results.Push(StructuredResult(g.path.string(), c ? c->rules.get() : nullptr,
                                        c ? std::nullopt : std::optional<std::string>(error),
                                        g.tests, code));
          if (r.exit_code == kTestOk) r.exit_code = code;
          continue;
        }
        if (g.tests.empty()) {
          r.out += fmt::format("Guard File {} did not have any tests associated, skipping.\n---\n",
                               g.path.string());
          continue;
        }
        r.out += fmt::format("Testing Guard File {}\n", g.path.string());
        std::string error;
        auto c = CompileRules(g.prefix, ReadAll(g.path).value_or(""), error);
        if (!c) {
          r.out += "Parse Error on ruleset file " + error + "\n";
          r.exit_code = kTestFailure;
        } else if (c->rules) {
          int counter = 1;  // each rules file numbers its test cases from 1
          const int code = PlainReport(*c->rules, g.tests, counter, r.out);
          if (r.exit_code == kTestOk) r.exit_code = code;
        }
        r.out += "---\n";
      }
    }
    if (structured) emit(results, true);
    return r;
  }

  if (o.rules_file.empty() || o.test_data.empty())
    throw Abort{"either a rules file and test data (-r, -t) or a directory (-d) is required"};
  for (const std::string& p : {o.rules_file, o.test_data})
    if (!fs::exists(p)) throw Abort{fmt::format("The path `{}` does not exist", p)};
  std::vector<fs::path> walked, tests;
  Walk(o.test_data, o.last_modified, walked);
  for (const auto& p : walked) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec) && IsTestData(p.filename().string(), true)) tests.push_back(p);
  }
  auto text = ReadAll(o.rules_file);
  std::error_code ec;
  if (!text || !fs::is_regular_file(o.rules_file, ec))
    throw Abort{"I/O error when reading invalid input parameter"};
  std::string error;
  auto c = CompileRules(o.rules_file, std::move(*text), error);
  if (!structured) {
    if (!c) {
      r.out += "Parse Error on ruleset file " + error + "\n";
      r.exit_code = kTestError;
      return r;
    }
    if (!c->rules) return r;
    int counter = 1;
    r.exit_code = PlainReport(*c->rules, tests, counter, r.out);
    return r;
  }
  if (c && !c->rules) return r;
  int code = kTestOk;
  const Out result =
      StructuredResult(o.rules_file, c ? c->rules.get() : nullptr,
                       c ? std::nullopt : std::optional<std::string>(error), tests, code);
  // cfn-guard reports a rules file that does not parse in the output and exits 0 here (it does
  // exit 1 for the same error in a directory run).
  r.exit_code = c ? code : kTestOk;
  emit(result, false);
  return r;
}

}  // namespace

UnitTestOutput RunUnitTests(const UnitTestOptions& options) {
  try {
    return Execute(options);
  } catch (const Abort& a) {
    UnitTestOutput r;
    r.err = "Error occurred " + a.message + "\n";
    r.exit_code = 255;
    return r;
  }
}

}  // namespace vigil::guard::report
