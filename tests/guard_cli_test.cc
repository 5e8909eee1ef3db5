// `vigil guard validate|test|parse-tree` against the real cfn-guard 3.1.1 binary. (The whole
// differential corpus runs in tests/unit/guard_corpus_test.cc, through the library.)
//
// The differential tests run both binaries with the same arguments and compare stdout bytes and
// exit codes (JUnit `time` attributes, which hold wall-clock milliseconds, are zeroed; text
// reports whose line order cfn-guard takes from a hash map are compared as sorted lines). They
// skip when cfn-guard is not installed (scripts/install-cfn-guard).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "json/value.h"
#include "test_util.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;
using testing_util::Output;
using testing_util::ReadFile;
using testing_util::Sh;

const std::string kVigil = std::string(VIGIL_BINARY_DIR) + "/vigil";
const fs::path kCorpus = fs::path(VIGIL_SOURCE_DIR) / "tests" / "guard-corpus";

fs::path ToolsDir() {
  const char* env = std::getenv("VIGIL_CFN_GUARD_DIR");
  return env ? fs::path(env) : fs::path(VIGIL_SOURCE_DIR) / "build" / "tools";
}

std::string CfnGuard() {
  const fs::path bin = ToolsDir() / "cfn-guard";
  return access(bin.c_str(), X_OK) == 0 ? bin.string() : std::string();
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// Runs `<binary> <args>` in the corpus folder; stderr goes to `err_file` when given.
Output RunIn(const fs::path& dir, const std::string& binary, const std::string& args,
             const std::string& err_file = "/dev/null", const std::string& stdin_file = "") {
  std::string cmd = "cd " + Quote(dir.string()) + " && " + binary + " " + args + " 2>" + err_file;
  if (!stdin_file.empty()) cmd += " <" + Quote(stdin_file);
  return Sh(cmd);
}

struct Pair {
  Output vigil, cfn;
  std::string vigil_err, cfn_err;
};

Pair RunBoth(const std::string& args, const fs::path& dir = kCorpus,
             const std::string& stdin_file = "") {
  const std::string tmp =
      (fs::temp_directory_path() / ("vigil-guard-" + std::to_string(getpid()))).string();
  Pair p;
  p.vigil = RunIn(dir, Quote(kVigil) + " guard validate", args, tmp + ".v", stdin_file);
  p.cfn = RunIn(dir, Quote(CfnGuard()) + " validate", args, tmp + ".g", stdin_file);
  p.vigil_err = ReadFile(tmp + ".v");
  p.cfn_err = ReadFile(tmp + ".g");
  fs::remove(tmp + ".v");
  fs::remove(tmp + ".g");
  return p;
}

std::string ZeroTimes(const std::string& s) {
  static const std::regex kTime("time=\"[0-9]+\"");
  return std::regex_replace(s, kTime, "time=\"0\"");
}

std::vector<std::string> SortedLines(const std::string& s) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < s.size()) {
    const size_t nl = s.find('\n', pos);
    lines.push_back(s.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

#define REQUIRE_CFN_GUARD()                     \
  if (CfnGuard().empty())                       \
  GTEST_SKIP() << "cfn-guard is not installed " \
                  "(scripts/install-cfn-guard)"

// Every data file of some corpus groups, as -d arguments.
std::string DataArgs(const std::vector<std::string>& groups) {
  std::string s;
  for (const auto& g : groups) s += " -d data/" + g;
  return s;
}

struct FormatCase {
  std::string name;
  std::string flags;
};

class GuardValidateFormats : public ::testing::TestWithParam<FormatCase> {};

// Byte-for-byte: the structured outputs and the non-structured JSON/YAML (per-file reports after
// the summary table), over rules that cover every clause kind and message.
TEST_P(GuardValidateFormats, SameBytesAndExitCodeAsCfnGuard) {
  REQUIRE_CFN_GUARD();
  const std::vector<std::pair<std::string, std::vector<std::string>>> runs = {
      {"rules/lang-tags.guard", {"cfn"}},
      {"rules/lang-messages.guard", {"cfn"}},
      {"rules/lang-named-rules.guard", {"cfn"}},
      {"rules/lang-when.guard", {"cfn"}},
      {"rules/lang-block-clauses.guard", {"cfn"}},
      {"rules/op-in.guard", {"values"}},
      {"rules/op-unary.guard", {"values"}},
      {"rules/op-or.guard", {"values"}},
      {"rules/config-s3.guard", {"config-ci"}},  // stops with an evaluation error (255)
      {"rules/config-sg.guard", {"config-ci"}},
      {"rules/config-kms.guard", {"config-ci", "k8s"}},
      {"rules/k8s-pod.guard", {"k8s"}},
  };
  for (const auto& [rules, groups] : runs) {
    const std::string args = "-r " + rules + DataArgs(groups) + " " + GetParam().flags;
    const Pair p = RunBoth(args);
    EXPECT_EQ(p.vigil.status, p.cfn.status) << args << "\n" << p.vigil_err;
    EXPECT_TRUE(ZeroTimes(p.vigil.out) == ZeroTimes(p.cfn.out))
        << args << ": outputs differ (" << p.vigil.out.size() << " vs " << p.cfn.out.size()
        << " bytes)";
    // Evaluation errors are worded by vigil's evaluator (json_parse's YAML reader names its
    // errors differently); both stop the run the same way.
    EXPECT_EQ(p.vigil_err.empty(), p.cfn_err.empty()) << args;
    EXPECT_EQ(p.vigil_err.substr(0, 15), p.cfn_err.substr(0, 15)) << args;
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, GuardValidateFormats,
                         ::testing::Values(FormatCase{"StructuredJson", "-o json -z -S none"},
                                           FormatCase{"StructuredYaml", "-o yaml -z -S none"},
                                           FormatCase{"Junit", "-o junit -z -S none"},
                                           FormatCase{"Sarif", "-o sarif -z -S none"},
                                           FormatCase{"JsonWithSummary", "-o json -S all"},
                                           FormatCase{"JsonFailSummary", "-o json"},
                                           FormatCase{"YamlPassSkipSummary",
                                                      "-o yaml -S pass,skip"},
                                           FormatCase{"JsonNoSummary", "-o json -S none"},
                                           FormatCase{"PrintJson", "-o json -S none -p"}),
                         [](const auto& info) { return info.param.name; });

// The default output over non-template data: the summary table and the generic single-line
// report. cfn-guard prints the failed/passed rules from hash maps (an order that changes from run
// to run), so the lines are compared as multisets.
TEST(GuardValidate, SingleLineSummaryOverGenericData) {
  REQUIRE_CFN_GUARD();
  for (const std::string rules : {"rules/config-ec2.guard", "rules/config-iam.guard",
                                  "rules/config-dynamodb-pitr.guard", "rules/k8s-pod.guard"}) {
    for (const std::string summary : {"", " -S all", " -S pass", " -S skip,fail", " -S none"}) {
      const std::string args = "-r " + rules + DataArgs({"config-ci", "k8s"}) + summary;
      const Pair p = RunBoth(args);
      EXPECT_EQ(p.vigil.status, p.cfn.status) << args;
      EXPECT_EQ(SortedLines(p.vigil.out), SortedLines(p.cfn.out)) << args;
    }
  }
}

// Flags and error paths: exit codes and the stderr messages cfn-guard prints.
TEST(GuardValidate, FlagsAndErrorsMatchCfnGuard) {
  REQUIRE_CFN_GUARD();
  const std::vector<std::string> cases = {
      // several rules files, a rules folder (.guard files, walked in name order), -a, -m
      "-r rules/config-kms.guard -r rules/config-rds.guard -d data/config-ci -o json -z -S none",
      "-r rules/config-kms.guard -r rules/config-rds.guard -d data/config-ci -o json -S all",
      "-r unit -d data/cfn/s3-mixed.yaml -o json -z -S none",
      "-r unit -d data/cfn -o json -S fail -a",
      "-r rules/lang-tags.guard -d data/cfn -o json -z -S none -m",
      // input parameters, one and two files, and a key clash
      "-r rules/params-network.guard -d data/params -i params/network.yaml -o json -z -S none",
      "-r rules/params-network.guard -d data/params -i params/network.yaml -i params/limits.json "
      "-o yaml -z -S none",
      "-r rules/params-network.guard -d data/params -i params -o json -S all",
      // errors: a missing path, a data file cfn-guard cannot read, an evaluation error, a rules
      // file that does not parse (exit 5, the others still run)
      "-r rules/nope.guard -d data/cfn -o json -z -S none",
      "-r rules/lang-tags.guard -d data/nope -o json -z -S none",
      "-r rules/lang-tags.guard -d data/errors/y-anchor.yaml -o json -z -S none",
      "-r rules/op-empty.guard -d data/values -o json -z -S none",
      "-r rules/err-syntax-unclosed.guard -r rules/lang-tags.guard -d data/cfn -o json -S none",
      // conflicting flags
      "-r rules/lang-tags.guard -d data/cfn -o json -z",
      "-r rules/lang-tags.guard -d data/cfn -z -S none",
      "-r rules/lang-tags.guard -d data/cfn -o junit -S none",
      "-r rules/lang-tags.guard -d data/cfn -o sarif -S none",
      // -t is accepted and ignored
      "-r rules/lang-tags.guard -d data/cfn -t CFNTemplate -o json -z -S none",
  };
  for (const auto& args : cases) {
    const Pair p = RunBoth(args);
    EXPECT_EQ(p.vigil.status, p.cfn.status) << args << "\n" << p.vigil_err;
    EXPECT_TRUE(p.vigil.out == p.cfn.out) << args << ": outputs differ (" << p.vigil.out.size()
                                          << " vs " << p.cfn.out.size() << " bytes)";
    // Parse errors are worded by vigil's parser (file:line:col and a caret); the rest match.
    if (p.cfn_err.starts_with("Parsing error handling rule file")) {
      EXPECT_TRUE(p.vigil_err.starts_with("Parsing error handling rule file = err-syntax"))
          << p.vigil_err;
    } else {
      EXPECT_EQ(p.vigil_err, p.cfn_err) << args;
    }
  }
}

TEST(GuardValidate, PayloadAndStdinMatchCfnGuard) {
  REQUIRE_CFN_GUARD();
  const fs::path dir = fs::temp_directory_path() / ("vigil-guard-in-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string rules = ReadFile((kCorpus / "rules/config-kms.guard").string());
  const std::string d1 = ReadFile((kCorpus / "data/config-ci/kms-not-rotated.yaml").string());
  const std::string d2 = ReadFile((kCorpus / "data/config-ci/kms-rotated.json").string());
  auto quoted = [](const std::string& s) {
    std::string q = "\"";
    for (const char c : s) {
      if (c == '"' || c == '\\') q += '\\';
      if (c == '\n') {
        q += "\\n";
        continue;
      }
      q += c;
    }
    return q + "\"";
  };
  {
    std::ofstream f(dir / "payload.json");
    f << "{\"rules\":[" << quoted(rules) << "],\"data\":[" << quoted(d1) << "," << quoted(d2)
      << "]}";
  }
  for (const std::string flags : {"-P -o json -z -S none", "-P -S all", "-P -o yaml -S none"}) {
    const Pair p = RunBoth(flags, kCorpus, (dir / "payload.json").string());
    EXPECT_EQ(p.vigil.status, p.cfn.status) << flags;
    EXPECT_EQ(SortedLines(p.vigil.out), SortedLines(p.cfn.out)) << flags;
  }
  const Pair p = RunBoth("-r rules/config-kms.guard -o json -z -S none", kCorpus,
                         (kCorpus / "data/config-ci/kms-not-rotated.yaml").string());
  EXPECT_EQ(p.vigil.status, p.cfn.status);
  EXPECT_EQ(p.vigil.out, p.cfn.out);
  fs::remove_all(dir);
}

TEST(GuardValidate, LastModifiedOrdersFilesByTime) {
  REQUIRE_CFN_GUARD();
  const fs::path dir = fs::temp_directory_path() / ("vigil-guard-m-" + std::to_string(getpid()));
  fs::create_directories(dir);
  // Names in one order, modification times in the other.
  const std::vector<std::string> names = {"a.json", "b.json", "c.json"};
  for (size_t i = 0; i < names.size(); ++i) {
    fs::copy_file(kCorpus / "data/config-ci/kms-rotated.json", dir / names[i],
                  fs::copy_options::overwrite_existing);
    fs::last_write_time(dir / names[i], fs::file_time_type::clock::now() -
                                            std::chrono::hours(static_cast<int>(i) + 1));
  }
  for (const std::string flag : {"-m", "-a", ""}) {
    const Pair p = RunBoth("-r rules/config-kms.guard -d " + dir.string() + " " + flag +
                           " -o json -z -S none");
    EXPECT_EQ(p.vigil.status, p.cfn.status) << flag;
    EXPECT_EQ(p.vigil.out, p.cfn.out) << flag;
  }
  fs::remove_all(dir);
}

TEST(GuardTest, UnitTestFilesMatchCfnGuard) {
  REQUIRE_CFN_GUARD();
  for (const auto& e : fs::directory_iterator(kCorpus / "unit")) {
    if (e.path().extension() != ".guard") continue;
    const std::string stem = e.path().stem().string();
    const std::string args = "test -r unit/" + stem + ".guard -t unit/" + stem + "_tests.yaml";
    const Output v = RunIn(kCorpus, Quote(kVigil) + " guard", args);
    const Output g = RunIn(kCorpus, Quote(CfnGuard()), args);
    EXPECT_EQ(v.status, g.status) << args;
    // cfn-guard lists the rules of a test case in hash order.
    EXPECT_EQ(SortedLines(v.out), SortedLines(g.out)) << args;
    for (const std::string fmt : {" -o json", " -o yaml"}) {
      const Output vj = RunIn(kCorpus, Quote(kVigil) + " guard", args + fmt);
      const Output gj = RunIn(kCorpus, Quote(CfnGuard()), args + fmt);
      EXPECT_EQ(vj.status, gj.status) << args << fmt;
      EXPECT_EQ(SortedLines(vj.out), SortedLines(gj.out)) << args << fmt;
    }
  }
}

TEST(GuardParseTree, JsonMatchesCfnGuardStructurally) {
  REQUIRE_CFN_GUARD();
  for (const std::string rules : {"rules/lang-tags.guard", "rules/fn-strings.guard"}) {
    const Output v = RunIn(kCorpus, Quote(kVigil) + " guard", "parse-tree -p -r " + rules);
    const Output g = RunIn(kCorpus, Quote(CfnGuard()), "parse-tree -p -r " + rules);
    EXPECT_EQ(v.status, 0);
    EXPECT_EQ(v.status, g.status);
    auto vd = json::Document::Parse(v.out);
    auto gd = json::Document::Parse(g.out);
    ASSERT_TRUE(vd.ok() && gd.ok()) << rules;
    // Numbers may be spelled differently (1 vs 1.0); compare the key structure.
    EXPECT_EQ(vd->Root().Get("guard_rules").Size(), gd->Root().Get("guard_rules").Size());
    EXPECT_EQ(vd->Root().Get("assignments").Size(), gd->Root().Get("assignments").Size());
  }
}

}  // namespace
}  // namespace vigil
