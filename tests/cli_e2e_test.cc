// End-to-end: the vigil binary on the bundled example organisation, checked against the
// generator's independent statement of every verdict (examples/org/expected.json, written by
// scripts/gen-org.py from what it generated, not by the engine); bad input; the stored report.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "json/value.h"

namespace vigil {
namespace {
namespace fs = std::filesystem;

const std::string kSource = VIGIL_SOURCE_DIR;
const std::string kVigil = std::string(VIGIL_BINARY_DIR) + "/vigil";
const std::string kExample = kSource + "/examples/org";

struct Output {
  int status = -1;
  std::string out;
};

// Runs a shell command, capturing stdout (stderr goes to `stderr_file` if given).
Output Sh(const std::string& cmd) {
  Output o;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return o;
  std::array<char, 65536> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) o.out.append(buf.data(), n);
  const int rc = pclose(p);
  o.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return o;
}

std::string ReadFile(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ExampleArgs() {
  return " --rules " + kExample + "/rules.json --accounts " + kExample +
         "/accounts.json --organization 'Acme Financial' " + kExample + "/AWSLogs " + kExample +
         "/facts";
}

using Verdicts = std::map<std::string, std::string>;  // rule|account|region|type|id -> compliance

TEST(ExampleOrganisation, JsonAgreesWithTheIndependentExpectation) {
  ASSERT_TRUE(fs::exists(kExample + "/expected.json"));
  const Output run =
      Sh(kVigil + " evaluate --quiet --format json" + ExampleArgs() + " 2>/dev/null");
  ASSERT_EQ(run.status, 0);
  auto doc = json::Document::Parse(run.out);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  Verdicts got;
  for (const json::Value r : doc->Root().Get("EvaluationResults").Elements()) {
    const json::Value q = r.Get("EvaluationResultIdentifier").Get("EvaluationResultQualifier");
    const std::string key = q.Get("ConfigRuleName").AsText() + "|" + r.Get("AccountId").AsText() +
                            "|" + r.Get("AwsRegion").AsText() + "|" +
                            q.Get("ResourceType").AsText() + "|" + q.Get("ResourceId").AsText();
    EXPECT_TRUE(got.emplace(key, r.Get("ComplianceType").AsText()).second) << "duplicate " << key;
    EXPECT_EQ(q.Get("EvaluationMode").AsText(), "DETECTIVE");
    EXPECT_FALSE(r.Get("ResultRecordedTime").AsText().empty());
  }
  auto expected_doc = json::Document::Parse(ReadFile(kExample + "/expected.json"));
  ASSERT_TRUE(expected_doc.ok());
  json::Value list = expected_doc->Root();
  if (list.IsObject())
    list = list.Get("EvaluationResults").IsArray() ? list.Get("EvaluationResults")
                                                   : list.Get("expected");
  Verdicts want;
  for (const json::Value e : list.Elements()) {
    want[e.Get("ConfigRuleName").AsText() + "|" + e.Get("AccountId").AsText() + "|" +
         e.Get("AwsRegion").AsText() + "|" + e.Get("ResourceType").AsText() + "|" +
         e.Get("ResourceId").AsText()] = e.Get("ComplianceType").AsText();
  }
  ASSERT_GT(want.size(), 100u);
  size_t mismatches = 0;
  for (const auto& [key, compliance] : want) {
    auto it = got.find(key);
    if (it == got.end()) {
      if (++mismatches < 20)
        ADD_FAILURE() << "vigil gave no verdict for " << key << " (expected " << compliance << ")";
    } else if (it->second != compliance) {
      if (++mismatches < 20)
        ADD_FAILURE() << key << ": vigil " << it->second << ", expected " << compliance;
    }
  }
  for (const auto& [key, compliance] : got)
    if (!want.count(key) && ++mismatches < 20)
      ADD_FAILURE() << "unexpected verdict " << key << " = " << compliance;
  EXPECT_EQ(mismatches, 0u);

  // The summary agrees with the rows.
  std::map<std::string, int> worst;  // account|region|type|id -> 0 NA, 1 C, 2 NC
  for (const auto& [key, c] : got) {
    const std::string resource = key.substr(key.find('|') + 1);
    const int level = c == "NON_COMPLIANT" ? 2 : c == "COMPLIANT" ? 1 : 0;
    worst[resource] = std::max(worst[resource], level);
  }
  int nc = 0, comp = 0;
  for (const auto& [k, level] : worst) {
    nc += level == 2;
    comp += level == 1;
  }
  const json::Value summary = doc->Root().Get("ComplianceSummary");
  EXPECT_EQ(summary.Get("NonCompliantResourceCount").Get("CappedCount").Int(), nc);
  EXPECT_EQ(summary.Get("CompliantResourceCount").Get("CappedCount").Int(), comp);
}

TEST(ExampleOrganisation, TextReportHasTheSeedLayout) {
  const Output run = Sh(kVigil + " evaluate --quiet" + ExampleArgs() + " 2>/dev/null");
  ASSERT_EQ(run.status, 0);
  for (const char* line :
       {"AWS Config Compliance Report", "Organization: Acme Financial (30 accounts)",
        "Report Date: ", "Config Rules Active: 12", "COMPLIANCE SUMMARY:", "Overall Compliance: ",
        "Compliant Resources: ", "Non-Compliant Resources: ", "Not Applicable: ",
        "TOP NON-COMPLIANT RULES:", "AUTO-REMEDIATION (Last 30 Days):", "Total auto-remediated: 0",
        "ACCOUNT COMPLIANCE RANKING:", "  1. "}) {
    EXPECT_NE(run.out.find(line), std::string::npos) << "missing: " << line << "\n" << run.out;
  }
}

TEST(ExampleOrganisation, MissingFactsAreWarnedNotGuessed) {
  const Output run = Sh(kVigil + " evaluate --format csv" + ExampleArgs() + " 2>&1 >/dev/null");
  EXPECT_EQ(run.status, 0);
  EXPECT_NE(run.out.find("not evaluated, missing"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("aws iam"), std::string::npos) << run.out;
}

TEST(ExampleOrganisation, StoredReportMatchesAndSecondRunRecordsTransitions) {
  const std::string db =
      (fs::temp_directory_path() / ("vigil-e2e-" + std::to_string(getpid()) + ".db")).string();
  fs::remove(db);
  const Output first = Sh(kVigil + " evaluate --quiet --db " + db + ExampleArgs() + " 2>/dev/null");
  ASSERT_EQ(first.status, 0);
  const Output again = Sh(kVigil + " report --db " + db);
  ASSERT_EQ(again.status, 0);
  EXPECT_EQ(again.out, first.out);
  // Second run on changed input: only the first account's snapshot folder, with one volume flipped.
  const Output second =
      Sh(kVigil + " evaluate --quiet --db " + db + ExampleArgs() + " 2>/dev/null");
  ASSERT_EQ(second.status, 0);
  EXPECT_NE(second.out.find("CHANGES SINCE LAST RUN:"), std::string::npos);
  EXPECT_NE(second.out.find("Turned NON_COMPLIANT: 0"), std::string::npos);
  fs::remove(db);
}

TEST(BadInput, OtherFilesAreStillEvaluatedAndTheExitStatusSaysSo) {
  const fs::path dir = fs::temp_directory_path() / ("vigil-bad-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "good.json")
      << R"({"configurationItems":[{"resourceType":"AWS::EC2::Volume","resourceId":"vol-1","awsAccountId":"111111111111","awsRegion":"us-east-1","configuration":{"encrypted":false,"attachments":[{}]}}]})";
  std::ofstream(dir / "broken.json")
      << "{\n \"configurationItems\": [\n  {\"resourceType\": \"AWS::EC2::Volume\",,}\n]}";
  std::ofstream(dir / "empty.json") << "";
  std::ofstream(dir / "truncated.json.gz")
      << std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xab\xae", 12);
  std::ofstream(dir / "rules.json")
      << R"([{"ConfigRuleName":"encrypted-volumes","Source":{"Owner":"AWS","SourceIdentifier":"ENCRYPTED_VOLUMES"}}])";
  const std::string base =
      kVigil + " evaluate --quiet --format csv --rules " + (dir / "rules.json").string() + " ";
  const Output run = Sh(base + (dir / "good.json").string() + " " + (dir / "broken.json").string() +
                        " " + (dir / "empty.json").string() + " " +
                        (dir / "truncated.json.gz").string() + " 2>" + (dir / "err.txt").string());
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.out.find("vol-1,NON_COMPLIANT"), std::string::npos) << run.out;
  const std::string err = ReadFile((dir / "err.txt").string());
  EXPECT_NE(err.find("broken.json: line 3"), std::string::npos) << err;
  EXPECT_NE(err.find("empty.json: empty file"), std::string::npos) << err;
  EXPECT_NE(err.find("truncated.json.gz: corrupt or truncated gzip"), std::string::npos) << err;

  std::ofstream(dir / "bad-rules.json")
      << R"([{"ConfigRuleName":"p","Source":{"Owner":"AWS","SourceIdentifier":"IAM_PASSWORD_POLICY"},"InputParameters":"{\"MinimumPasswordLength\":\"long\"}"},
    {"ConfigRuleName":"q","Source":{"Owner":"AWS","SourceIdentifier":"NOT_A_RULE"}}])";
  const Output bad_rules = Sh(kVigil + " evaluate --rules " + (dir / "bad-rules.json").string() +
                              " " + (dir / "good.json").string() + " 2>&1");
  EXPECT_EQ(bad_rules.status, 2);
  EXPECT_NE(
      bad_rules.out.find(
          "rule 'p' (IAM_PASSWORD_POLICY): parameter 'MinimumPasswordLength' must be of type int"),
      std::string::npos)
      << bad_rules.out;
  EXPECT_NE(bad_rules.out.find("unknown managed-rule identifier 'NOT_A_RULE'"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Cli, RulesListKnowsAllIdentifiers) {
  const Output run = Sh(kVigil + " rules list --json");
  ASSERT_EQ(run.status, 0);
  auto doc = json::Document::Parse(run.out);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->Root().Size(), 822u);
  size_t implemented = 0;
  for (const json::Value r : doc->Root().Elements())
    implemented += r.Get("status").AsText() == "implemented";
  EXPECT_GE(implemented, 12u);
  EXPECT_EQ(Sh(kVigil + " evaluate --help").status, 0);
  EXPECT_EQ(Sh(kVigil + " nonsense 2>/dev/null").status, 2);
}

}  // namespace
}  // namespace vigil
