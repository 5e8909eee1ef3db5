// The engine: scope, latest capture wins, deleted resources, deferred and account-level rules,
// rule resolution errors, and the report's per-resource compliance.
#include "engine/engine.h"

#include <gtest/gtest.h>

#include "ingest/input.h"
#include "json/value.h"
#include "report/report.h"

namespace vigil::engine {
namespace {

std::vector<model::ConfigRule> Rules(std::string_view json) {
  auto doc = json::Document::Parse(json);
  EXPECT_TRUE(doc.ok());
  std::vector<std::string> errors;
  auto rules = model::ParseConfigRules(doc->Root(), "test", errors);
  EXPECT_TRUE(errors.empty()) << errors.front();
  return rules;
}

struct Harness {
  explicit Harness(std::string_view rules_json, model::FactStore* facts = nullptr) {
    std::vector<std::string> errors;
    auto active = ResolveRules(Rules(rules_json), errors);
    EXPECT_TRUE(errors.empty()) << errors.front();
    engine = std::make_unique<Engine>(std::move(active), facts ? *facts : empty);
  }
  void File(std::string_view text, std::uint32_t index) {
    Batch b(*engine, index);
    const Status st = ingest::ReadItems(
        text, [&](const model::ConfigurationItem& ci) { b.Add(ci); },
        [](const std::string& e) { ADD_FAILURE() << e; });
    EXPECT_TRUE(st.ok()) << st.message();
    engine->Merge(std::move(b));
  }
  // "rule/resourceId" -> compliance
  std::map<std::string, std::string> Verdicts() {
    std::map<std::string, std::string> out;
    for (const auto& r : engine->resources())
      for (const auto& ev : engine->Evaluations(r))
        out[engine->rules()[ev.rule].config.name + "/" + std::string(r.id)] =
            std::string(rules::ComplianceName(ev.compliance));
    return out;
  }
  model::FactStore empty;
  std::unique_ptr<Engine> engine;
};

constexpr std::string_view kVolumeRule =
    R"([{"ConfigRuleName":"encrypted-volumes","Source":{"Owner":"AWS","SourceIdentifier":"ENCRYPTED_VOLUMES"}}])";

std::string Volume(std::string_view id, bool encrypted, std::string_view time,
                   std::string_view status = "OK") {
  return std::string(R"({"resourceType":"AWS::EC2::Volume","resourceId":")") + std::string(id) +
         R"(","awsAccountId":"111111111111","awsRegion":"us-east-1","configurationItemStatus":")" +
         std::string(status) + R"(","configurationItemCaptureTime":")" + std::string(time) +
         R"(","configuration":{"encrypted":)" + (encrypted ? "true" : "false") +
         R"(,"attachments":[{"instanceId":"i-1"}]}})";
}

TEST(Engine, LatestCaptureWinsWhateverTheFileOrder) {
  Harness run(kVolumeRule);
  run.File("[" + Volume("vol-1", true, "2026-01-02T00:00:00Z") + "]", 0);
  run.File("[" + Volume("vol-1", false, "2026-01-01T00:00:00Z") + "," +
               Volume("vol-2", false, "2026-01-03T00:00:00Z") + "]",
           1);
  run.File("[" + Volume("vol-2", true, "2026-01-01T00:00:00Z") + "]", 2);
  run.engine->Finish();
  auto v = run.Verdicts();
  EXPECT_EQ(v["encrypted-volumes/vol-1"], "COMPLIANT");
  EXPECT_EQ(v["encrypted-volumes/vol-2"], "NON_COMPLIANT");
  for (const auto& r : run.engine->resources()) EXPECT_EQ(r.captures, 2u) << r.id;  // history kept
}

TEST(Engine, DeletedResourcesAreNotApplicableForEveryRule) {
  Harness run(kVolumeRule);
  run.File("[" + Volume("vol-1", false, "2026-01-01T00:00:00Z") + "," +
               Volume("vol-1", false, "2026-01-02T00:00:00Z", "ResourceDeleted") + "," +
               Volume("vol-3", false, "2026-01-02T00:00:00Z", "ResourceDeletedNotRecorded") + "]",
           0);
  run.engine->Finish();
  auto v = run.Verdicts();
  EXPECT_EQ(v["encrypted-volumes/vol-1"], "NOT_APPLICABLE");
  EXPECT_EQ(v["encrypted-volumes/vol-3"], "NOT_APPLICABLE");
}

TEST(Engine, ScopeByTagAndResourceId) {
  Harness run(R"([
    {"ConfigRuleName":"tagged","Source":{"Owner":"AWS","SourceIdentifier":"ENCRYPTED_VOLUMES"},"Scope":{"TagKey":"Env","TagValue":"prod"}},
    {"ConfigRuleName":"one","Source":{"Owner":"AWS","SourceIdentifier":"ENCRYPTED_VOLUMES"},"Scope":{"ComplianceResourceTypes":["AWS::EC2::Volume"],"ComplianceResourceId":"vol-b"}}])");
  run.File(
      R"([{"resourceType":"AWS::EC2::Volume","resourceId":"vol-a","tags":{"Env":"prod"},"configuration":{"encrypted":false,"attachments":[{}]}},
               {"resourceType":"AWS::EC2::Volume","resourceId":"vol-b","tags":{"Env":"dev"},"configuration":{"encrypted":false,"attachments":[{}]}}])",
      0);
  run.engine->Finish();
  auto v = run.Verdicts();
  EXPECT_EQ(v.size(), 2u);
  EXPECT_EQ(v["tagged/vol-a"], "NON_COMPLIANT");
  EXPECT_EQ(v["one/vol-b"], "NON_COMPLIANT");
}

TEST(Engine, RuleResolutionErrorsNameRuleParameterAndType) {
  std::vector<std::string> errors;
  auto active = ResolveRules(Rules(R"([
    {"ConfigRuleName":"a","Source":{"Owner":"AWS","SourceIdentifier":"NO_SUCH_RULE"}},
    {"ConfigRuleName":"b","Source":{"Owner":"AWS","SourceIdentifier":"IAM_PASSWORD_POLICY"},"InputParameters":"{\"MinimumPasswordLength\":\"fourteen\"}"},
    {"ConfigRuleName":"c","Source":{"Owner":"AWS","SourceIdentifier":"ENCRYPTED_VOLUMES"},"InputParameters":"{\"kmsKey\":\"x\"}"},
    {"ConfigRuleName":"d","Source":{"Owner":"AWS","SourceIdentifier":"GUARDDUTY_NON_ARCHIVED_FINDINGS"}},
    {"ConfigRuleName":"e","Source":{"Owner":"AWS","SourceIdentifier":"ENCRYPTED_VOLUMES"}}])"),
                             errors);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_NE(errors[0].find("NO_SUCH_RULE"), std::string::npos);
  EXPECT_NE(errors[1].find("MinimumPasswordLength"), std::string::npos);
  EXPECT_NE(errors[1].find("int"), std::string::npos);
  EXPECT_NE(errors[1].find("'b'"), std::string::npos);
  EXPECT_NE(errors[2].find("kmsKey"), std::string::npos);
  ASSERT_EQ(active.size(), 2u);
  EXPECT_EQ(active[0].config.name, "d");  // known to AWS, not implemented: kept, with a note
  EXPECT_EQ(active[0].managed, nullptr);
  EXPECT_NE(active[0].note.find("not implemented"), std::string::npos);
}

TEST(Engine, RuleFilesInEveryAwsShape) {
  for (
      const char* text :
      {R"({"ConfigRuleName":"a","Source":{"Owner":"AWS","SourceIdentifier":"ENCRYPTED_VOLUMES"}})",
       R"([{"ConfigRuleName":"a","Source":{"Owner":"AWS","SourceIdentifier":"ENCRYPTED_VOLUMES"}}])",
       R"({"ConfigRules":[{"ConfigRuleName":"a","Source":{"Owner":"AWS","SourceIdentifier":"ENCRYPTED_VOLUMES"}}]})",
       R"({"ConfigRule":{"ConfigRuleName":"a","Source":{"Owner":"AWS","SourceIdentifier":"ENCRYPTED_VOLUMES"}},"Tags":[]})"}) {
    auto doc = json::Document::Parse(text);
    ASSERT_TRUE(doc.ok());
    std::vector<std::string> errors;
    auto rules = model::ParseConfigRules(doc->Root(), "t", errors);
    EXPECT_TRUE(errors.empty()) << text;
    ASSERT_EQ(rules.size(), 1u) << text;
    EXPECT_EQ(rules[0].name, "a");
  }
}

TEST(Engine, InputParametersMustBeAJsonObject) {
  auto doc = json::Document::Parse(
      R"({"ConfigRuleName":"x","Source":{"Owner":"AWS","SourceIdentifier":"ENCRYPTED_VOLUMES"},"InputParameters":"{oops"})");
  auto r = model::ParseConfigRule(doc->Root());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("InputParameters"), std::string::npos);
}

TEST(Engine, DeferredRuleReadsItemsFromOtherFilesAndAccountRulesUseFacts) {
  model::FactStore facts;
  facts.Put(
      "iam-get-account-summary", "111111111111", "us-east-1",
      std::move(json::Document::Parse(R"({"SummaryMap":{"AccountAccessKeysPresent":1}})").value()));
  Harness run(
      R"([{"ConfigRuleName":"flow","Source":{"Owner":"AWS","SourceIdentifier":"VPC_FLOW_LOGS_ENABLED"}},
              {"ConfigRuleName":"root","Source":{"Owner":"AWS","SourceIdentifier":"IAM_ROOT_ACCESS_KEY_CHECK"}}])",
      &facts);
  run.File(
      R"([{"resourceType":"AWS::EC2::VPC","resourceId":"vpc-1","awsAccountId":"111111111111","awsRegion":"us-east-1","configuration":{"vpcId":"vpc-1"}},
               {"resourceType":"AWS::EC2::VPC","resourceId":"vpc-2","awsAccountId":"111111111111","awsRegion":"us-east-1","configuration":{"vpcId":"vpc-2"}},
               {"resourceType":"AWS::EC2::VPC","resourceId":"vpc-9","awsAccountId":"999999999999","awsRegion":"us-east-1","configuration":{"vpcId":"vpc-9"}}])",
      0);
  run.File(
      R"([{"resourceType":"AWS::EC2::FlowLog","resourceId":"fl-1","awsAccountId":"111111111111","awsRegion":"us-east-1",
                "configuration":{"resourceId":"vpc-1","flowLogStatus":"ACTIVE","trafficType":"ALL"}}])",
      1);
  run.engine->Finish();
  auto v = run.Verdicts();
  EXPECT_EQ(v["flow/vpc-1"], "COMPLIANT");
  EXPECT_EQ(v["flow/vpc-2"], "NON_COMPLIANT");
  EXPECT_EQ(v.count("flow/vpc-9"), 0u);  // nothing known about flow logs in that account
  EXPECT_EQ(v["root/111111111111"], "NON_COMPLIANT");
  bool warned_flow = false, warned_root = false;
  for (const auto& m : run.engine->missing_facts()) {
    warned_flow |= m.rule == "flow" && m.account == "999999999999";
    warned_root |= m.rule == "root" && m.account == "999999999999";
  }
  EXPECT_TRUE(warned_flow);
  EXPECT_TRUE(warned_root);
}

// AWS Config custom policy rules: the Guard policy judges each item in scope (the DynamoDB
// point-in-time recovery example of AWS's developer guide).
TEST(Engine, CustomPolicyRulesEvaluateGuardAgainstEachItem) {
  Harness run(
      R"([{"ConfigRuleName":"pitr","Scope":{"ComplianceResourceTypes":["AWS::DynamoDB::Table"]},
      "Source":{"Owner":"CUSTOM_POLICY","CustomPolicyDetails":{"PolicyRuntime":"guard-2.x.x",
      "PolicyText":"let status = ['ACTIVE']\nrule tableisactive when resourceType == \"AWS::DynamoDB::Table\" {\n  configuration.tableStatus == %status\n}\nrule checkcompliance when resourceType == \"AWS::DynamoDB::Table\" tableisactive {\n  supplementaryConfiguration.ContinuousBackupsDescription.pointInTimeRecoveryDescription.pointInTimeRecoveryStatus == \"ENABLED\" <<\n    PITR must be\n    enabled >>\n}\n"}}},
    {"ConfigRuleName":"named","Source":{"Owner":"CUSTOM_POLICY","CustomPolicyDetails":{"PolicyRuntime":"guard-2.x.x",
      "PolicyText":"rule named when resourceType == \"AWS::S3::Bucket\" { resourceName exists }"}}}])");
  run.File(R"({"configurationItems":[
    {"resourceType":"AWS::DynamoDB::Table","resourceId":"on","awsAccountId":"111111111111","awsRegion":"us-east-1","configuration":{"tableStatus":"ACTIVE"},
     "supplementaryConfiguration":{"ContinuousBackupsDescription":"{\"pointInTimeRecoveryDescription\":{\"pointInTimeRecoveryStatus\":\"ENABLED\"}}"}},
    {"resourceType":"AWS::DynamoDB::Table","resourceId":"off","awsAccountId":"111111111111","awsRegion":"us-east-1","configuration":"{\"tableStatus\":\"ACTIVE\"}",
     "supplementaryConfiguration":{"ContinuousBackupsDescription":{"pointInTimeRecoveryDescription":{"pointInTimeRecoveryStatus":"DISABLED"}}}},
    {"resourceType":"AWS::S3::Bucket","resourceId":"b","resourceName":"b","awsAccountId":"111111111111","awsRegion":"us-east-1","configuration":{}},
    {"resourceType":"AWS::EC2::Volume","resourceId":"v","awsAccountId":"111111111111","awsRegion":"us-east-1","configuration":{}}]})",
           0);
  run.engine->Finish();
  auto v = run.Verdicts();
  EXPECT_EQ(v["pitr/on"], "COMPLIANT");
  EXPECT_EQ(v["pitr/off"], "NON_COMPLIANT");
  EXPECT_EQ(v.count("pitr/b"), 0u);  // out of the rule's scope
  EXPECT_EQ(v["named/b"], "COMPLIANT");
  EXPECT_EQ(v["named/v"], "NOT_APPLICABLE");  // no Scope: every item, every rule skipped
  for (const auto& r : run.engine->resources()) {
    if (r.id != "off") continue;
    ASSERT_EQ(run.engine->Evaluations(r).size(), 2u);  // pitr, and named (NOT_APPLICABLE)
    for (const auto& ev : run.engine->Evaluations(r)) {
      if (run.engine->rules()[ev.rule].config.name != "pitr") continue;
      // The failing clause's custom message, on one line.
      EXPECT_EQ(run.engine->annotations().Name(ev.annotation), "PITR must be enabled");
    }
  }
}

TEST(Engine, CustomPolicySyntaxErrorsAndRuntimesAreRuleErrors) {
  std::vector<std::string> errors;
  auto active = ResolveRules(
      Rules(
          R"([{"ConfigRuleName":"bad","Source":{"Owner":"CUSTOM_POLICY","CustomPolicyDetails":{"PolicyRuntime":"guard-2.x.x","PolicyText":"rule r {\n  a.b ==\n}"}}},
                {"ConfigRuleName":"old","Source":{"Owner":"CUSTOM_POLICY","CustomPolicyDetails":{"PolicyRuntime":"guard-1.0","PolicyText":"rule r { a exists }"}}},
                {"ConfigRuleName":"good","Source":{"Owner":"CUSTOM_POLICY","CustomPolicyDetails":{"PolicyRuntime":"guard-2.x.x","PolicyText":"rule r { a exists }"}}}])"),
      errors);
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].config.name, "good");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].find("rule 'bad' PolicyText:3:"), std::string::npos) << errors[0];
  EXPECT_NE(errors[1].find("guard-1.0"), std::string::npos) << errors[1];
}

void PutFact(model::FactStore& facts, std::string_view name, std::string_view account,
             std::string_view region, std::string_view json) {
  auto doc = json::Document::Parse(json);
  ASSERT_TRUE(doc.ok());
  facts.Put(name, account, region, std::move(doc).value());
}

TEST(Engine, TypesAwsConfigDoesNotRecordAreJudgedFromFacts) {
  model::FactStore facts;
  PutFact(facts, "emr-list-clusters", "111111111111", "us-east-1",
          R"({"Clusters":[{"Id":"j-PUBLIC","Name":"etl","Status":{"State":"WAITING"}},
                         {"Id":"j-PRIVATE","Name":"ml","Status":{"State":"RUNNING"}}]})");
  PutFact(facts, "emr-list-instances", "111111111111", "us-east-1",
          R"({"j-PUBLIC":{"Instances":[{"Ec2InstanceId":"i-1","PublicIpAddress":"54.1.2.3",
                                        "Status":{"State":"RUNNING"}}]},
              "j-PRIVATE":{"Instances":[{"Ec2InstanceId":"i-2","PrivateIpAddress":"10.0.0.2",
                                         "Status":{"State":"RUNNING"}}]}})");
  Harness h(
      R"([{"ConfigRuleName":"emr","Source":{"Owner":"AWS","SourceIdentifier":"EMR_MASTER_NO_PUBLIC_IP"}},
          {"ConfigRuleName":"emr-vols","Source":{"Owner":"AWS","SourceIdentifier":"EMR_MASTER_NO_PUBLIC_IP"},
           "Scope":{"ComplianceResourceTypes":["AWS::EC2::Instance"]}}])",
      &facts);
  h.engine->Finish();
  auto v = h.Verdicts();
  EXPECT_EQ(v["emr/j-PUBLIC"], "NON_COMPLIANT");
  EXPECT_EQ(v["emr/j-PRIVATE"], "COMPLIANT");
  EXPECT_EQ(v.count("emr-vols/j-PUBLIC"), 0u);  // its Scope leaves EMR clusters out
  for (const auto& r : h.engine->resources())
    if (r.id == "j-PUBLIC") {
      EXPECT_EQ(h.engine->names().Name(r.type), "AWS::EMR::Cluster");
      EXPECT_EQ(r.name, "etl");
    }
}

TEST(Report, ResourceComplianceFollowsDescribeComplianceByResource) {
  Harness run(
      R"([{"ConfigRuleName":"enc","Source":{"Owner":"AWS","SourceIdentifier":"ENCRYPTED_VOLUMES"}},
              {"ConfigRuleName":"tags","Source":{"Owner":"AWS","SourceIdentifier":"REQUIRED_TAGS"},"InputParameters":"{\"tag1Key\":\"Owner\"}"}])");
  // v1: compliant + non-compliant -> NON_COMPLIANT; v2: compliant + compliant; v3: NA + compliant
  // -> COMPLIANT; v4: deleted -> NA only.
  run.File(R"([
    {"resourceType":"AWS::EC2::Volume","resourceId":"v1","awsAccountId":"1","configuration":{"encrypted":true,"attachments":[{}]}},
    {"resourceType":"AWS::EC2::Volume","resourceId":"v2","awsAccountId":"1","tags":{"Owner":"x"},"configuration":{"encrypted":true,"attachments":[{}]}},
    {"resourceType":"AWS::EC2::Volume","resourceId":"v3","awsAccountId":"2","tags":{"Owner":"x"},"configuration":{"encrypted":false,"attachments":[]}},
    {"resourceType":"AWS::EC2::Volume","resourceId":"v4","awsAccountId":"2","configurationItemStatus":"ResourceDeleted"}])",
           0);
  run.engine->Finish();
  const auto data = report::FromEngine(*run.engine);
  const auto s = report::Summarise(data);
  EXPECT_EQ(s.non_compliant, 1u);
  EXPECT_EQ(s.compliant, 2u);
  EXPECT_EQ(s.not_applicable, 1u);
  EXPECT_EQ(s.accounts.at("1").non_compliant, 1u);
  EXPECT_EQ(s.accounts.at("2").compliant, 1u);
}

}  // namespace
}  // namespace vigil::engine
