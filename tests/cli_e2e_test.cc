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
#include "test_util.h"

namespace vigil {
namespace {
namespace fs = std::filesystem;
using testing_util::Output;
using testing_util::ReadFile;
using testing_util::Sh;

const std::string kSource = VIGIL_SOURCE_DIR;
const std::string kVigil = std::string(VIGIL_BINARY_DIR) + "/vigil";
const std::string kExample = kSource + "/examples/org";

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

std::string PackArgs(const std::string& extra = "") {
  return " --pack cis-aws-v1.4-level1 --accounts " + kExample +
         "/accounts.json --organization 'Acme Financial' " + extra + " " + kExample + "/AWSLogs " +
         kExample + "/facts";
}

TEST(ConformancePack, CisLevel1ReportKeepsTheSeedLayoutInOrder) {
  const Output run = Sh(kVigil + " evaluate --quiet" + PackArgs() + " 2>/dev/null");
  ASSERT_EQ(run.status, 0);
  size_t at = 0;
  for (const char* line :
       {"AWS Config Compliance Report\n===============================\n",
        "Organization: Acme Financial (30 accounts)\n",
        "Framework: CIS AWS Foundations 1.4 Level 1\n",
        "Report Date: ",
        "Config Rules Active: 44\n",
        "COMPLIANCE SUMMARY:\n",
        "  Overall Compliance: ",
        "  Compliant Resources: ",
        "  Non-Compliant Resources: ",
        "  Not Applicable: ",
        "TOP NON-COMPLIANT RULES:\n",
        "AUTO-REMEDIATION (Last 30 Days):\n",
        "  Failed remediation attempts: ",
        "ACCOUNT COMPLIANCE RANKING:\n",
        "  1. ",
        "CONFORMANCE PACK: cis-aws-v1.4-level1 (CIS AWS Foundations 1.4 Level 1)\n",
        "  Pack Compliance: NON_COMPLIANT",
        "  Compliance Score: ",
        "  RULE ",
        "MANUAL CONTROLS (AWS_CONFIG_PROCESS_CHECK"}) {
    const size_t found = run.out.find(line, at);
    ASSERT_NE(found, std::string::npos) << "missing or out of order: " << line << "\n" << run.out;
    at = found;
  }
}

TEST(ConformancePack, JsonHasPackComplianceScoreAndManualControlsFromExternalEvaluations) {
  const std::string external = testing::TempDir() + "/external.json";
  std::ofstream(external) << R"([
    {"ConfigRuleName": "account-contact-details-configured",
     "ExternalEvaluation": {"ComplianceResourceType": "AWS::::Account",
       "ComplianceResourceId": "438566457377", "ComplianceType": "COMPLIANT",
       "Annotation": "contacts reviewed 2026-11-01", "OrderingTimestamp": "2026-11-01T00:00:00Z"}},
    {"ConfigRuleName": "account-security-questions-configured",
     "ExternalEvaluation": {"ComplianceResourceType": "AWS::::Account",
       "ComplianceResourceId": "438566457377", "ComplianceType": "NON_COMPLIANT",
       "OrderingTimestamp": "2026-11-01T00:00:00Z"}}])";
  const Output run = Sh(kVigil + " evaluate --quiet --format json" +
                        PackArgs("--external-evaluations " + external) + " 2>/dev/null");
  ASSERT_EQ(run.status, 0);
  auto doc = json::Document::Parse(run.out);
  ASSERT_TRUE(doc.ok());
  const json::Value packs = doc->Root().Get("ConformancePacks");
  ASSERT_EQ(packs.Size(), 1u);
  const json::Value pack = packs.At(0);
  EXPECT_EQ(pack.Get("ConformancePackName").String(), "cis-aws-v1.4-level1");
  EXPECT_EQ(pack.Get("ConformancePackComplianceStatus").String(), "NON_COMPLIANT");
  EXPECT_EQ(pack.Get("TotalRuleCount").Int(), 44);
  const double score = std::stod(std::string(pack.Get("ComplianceScore").String().value_or("x")));
  EXPECT_GT(score, 0.0);
  EXPECT_LT(score, 100.0);
  std::map<std::string, std::string> rule_compliance;
  for (const json::Value r : pack.Get("ConformancePackRuleComplianceList").Elements())
    rule_compliance[std::string(r.Get("ConfigRuleName").String().value_or(""))] =
        r.Get("ComplianceType").String().value_or("");
  EXPECT_EQ(rule_compliance["account-contact-details-configured"], "COMPLIANT");
  EXPECT_EQ(rule_compliance["account-security-questions-configured"], "NON_COMPLIANT");
  EXPECT_EQ(rule_compliance["root-account-regular-use"], "INSUFFICIENT_DATA");  // nothing recorded
  bool annotated = false;
  for (const json::Value e : doc->Root().Get("EvaluationResults").Elements())
    annotated |= e.Get("Annotation").String() == "contacts reviewed 2026-11-01";
  EXPECT_TRUE(annotated);
}

TEST(ConformancePack, ParameterOverrideReachesTheRule) {
  // MaxPasswordAge 1 day: every account with a password policy fails it.
  const Output strict =
      Sh(kVigil + " evaluate --quiet --format json" +
         PackArgs("--pack-param IamPasswordPolicyParamMaxPasswordAge=1") + " 2>/dev/null");
  const Output normal =
      Sh(kVigil + " evaluate --quiet --format json" + PackArgs() + " 2>/dev/null");
  ASSERT_EQ(strict.status, 0);
  auto count = [](const std::string& out) {
    auto doc = json::Document::Parse(out);
    int n = 0;
    for (const json::Value e : doc->Root().Get("EvaluationResults").Elements())
      n += e.Get("EvaluationResultIdentifier")
                   .Get("EvaluationResultQualifier")
                   .Get("ConfigRuleName")
                   .String() == "iam-password-policy" &&
           e.Get("ComplianceType").String() == "NON_COMPLIANT";
    return n;
  };
  EXPECT_GT(count(strict.out), count(normal.out));
}

TEST(ConformancePack, BadTemplatesAndParametersAreClearErrors) {
  const Output unknown = Sh(kVigil + " evaluate --quiet" + PackArgs("--pack-param NoSuchParam=1") +
                            " 2>&1 >/dev/null");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.out.find("NoSuchParam"), std::string::npos) << unknown.out;

  const std::string bad = testing::TempDir() + "/bad-pack.yaml";
  std::ofstream(bad) << "Resources:\n  R:\n    Type: AWS::Config::ConfigRule\n    Properties:\n"
                        "      ConfigRuleName: !Ref Nope\n"
                        "      Source: {Owner: AWS, SourceIdentifier: ENCRYPTED_VOLUMES}\n";
  const Output both = Sh(kVigil + " evaluate --quiet --pack " + bad + PackArgs() + " 2>&1");
  EXPECT_EQ(both.status, 1);  // the good pack is still evaluated; the bad one is an input error
  EXPECT_NE(both.out.find("bad-pack.yaml:5:"), std::string::npos) << both.out;
  EXPECT_NE(both.out.find("CONFORMANCE PACK: cis-aws-v1.4-level1"), std::string::npos);
}

TEST(ConformancePack, StoredRunReportsThePackAgain) {
  const std::string db =
      (fs::temp_directory_path() / ("vigil-pack-" + std::to_string(getpid()) + ".db")).string();
  fs::remove(db);
  const Output first = Sh(kVigil + " evaluate --quiet --db " + db + PackArgs() + " 2>/dev/null");
  ASSERT_EQ(first.status, 0);
  ASSERT_NE(first.out.find("CONFORMANCE PACK: cis-aws-v1.4-level1"), std::string::npos);
  const Output again = Sh(kVigil + " report --db " + db);
  ASSERT_EQ(again.status, 0);
  EXPECT_EQ(again.out, first.out);
  fs::remove(db);
}

TEST(ConformancePack, PacksListAndCoverage) {
  const Output list = Sh(kVigil + " packs list --json");
  ASSERT_EQ(list.status, 0);
  auto doc = json::Document::Parse(list.out);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->Root().Size(), 15u);
  const Output coverage = Sh(kVigil + " packs coverage --json");
  ASSERT_EQ(coverage.status, 0);
  auto cov = json::Document::Parse(coverage.out);
  ASSERT_TRUE(cov.ok());
  for (const json::Value p : cov->Root().Elements()) {
    const std::string name(p.Get("name").String().value_or(""));
    if (name == "cis-aws-v1.4-level1" || name == "cis-aws-v1.4-level2" || name == "pci-dss")
      EXPECT_EQ(p.Get("implemented").Int(), p.Get("referenced").Int()) << name;
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
