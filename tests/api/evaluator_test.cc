// Continuous evaluation inside the service (api/evaluator.h, api/ingest.h): items recorded
// through the API are judged in the same request; whole-rule jobs and periodic rules run in the
// EvaluationWorker; StartConfigRulesEvaluation and DescribeConfigRuleEvaluationStatus.
#include "api/evaluator.h"

#include <gtest/gtest.h>

#include "service_fixture.h"

namespace vigil::api {
namespace {

using testing_fixture::Reply;

std::string Volume(std::string_view id, bool encrypted, std::string_view capture,
                   std::string_view status = "OK", std::string_view account = "111111111111") {
  return R"({"awsAccountId": ")" + std::string(account) +
         R"(", "awsRegion": "us-east-1", "resourceType": "AWS::EC2::Volume", "resourceId": ")" +
         std::string(id) + R"(", "configurationItemCaptureTime": ")" + std::string(capture) +
         R"(", "configurationItemStatus": ")" + std::string(status) +
         R"(", "tags": {"team": "core"}, "configuration": {"volumeId": ")" + std::string(id) +
         R"(", "attachments": [{"instanceId": "i-1", "state": "attached"}], "encrypted": )" +
         (encrypted ? "true" : "false") + "}}";
}

class EvaluatorTest : public testing_fixture::ServiceTest {
 protected:
  Reply Import(const std::vector<std::string>& items, std::string facts = "[]") {
    aws::HttpRequest r;
    r.body = R"({"ConfigurationItems": [)";
    for (size_t i = 0; i < items.size(); ++i) r.body += (i ? "," : "") + items[i];
    r.body += "], \"Facts\": " + facts + "}";
    r.headers = {{"Host", "127.0.0.1:4580"},
                 {"Content-Type", "application/x-amz-json-1.1"},
                 {"X-Amz-Target", "VigilService.ImportConfigurationItems"}};
    aws::Sign(r, {"AKIDA", "secretA"}, "us-east-1", "config", now_);
    return Send(r);
  }
  // resource id -> compliance, for one rule.
  std::map<std::string, std::string> Verdicts(std::string_view rule) {
    const Reply r = Call("GetComplianceDetailsByConfigRule",
                         R"({"ConfigRuleName": ")" + std::string(rule) +
                             R"(", "ComplianceTypes": ["COMPLIANT", "NON_COMPLIANT",
                                 "NOT_APPLICABLE"]})");
    EXPECT_EQ(r.status, 200) << r.body;
    std::map<std::string, std::string> out;
    for (const json::Value e : r.Root().Get("EvaluationResults").Elements()) {
      out[e.Get("EvaluationResultIdentifier")
              .Get("EvaluationResultQualifier")
              .Get("ResourceId")
              .AsText()] = e.Get("ComplianceType").AsText();
    }
    return out;
  }
  size_t RunWorker(EpochMillis at) {
    EvaluationWorker worker(service_->store(), limits_);
    return worker.RunOnce(at);
  }
  Limits limits_;
};

TEST_F(EvaluatorTest, AnImportedItemIsJudgedBeforeTheCallReturns) {
  PutRule("encrypted-volumes");
  const Reply r = Import({Volume("vol-1", true, "2026-02-23T10:00:00Z"),
                          Volume("vol-2", false, "2026-02-23T10:00:00Z")});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Root().Get("Recorded").Int(), 2);
  const auto v = Verdicts("encrypted-volumes");
  EXPECT_EQ(v.at("vol-1"), "COMPLIANT");
  EXPECT_EQ(v.at("vol-2"), "NON_COMPLIANT");
}

TEST_F(EvaluatorTest, ANewerVersionChangesTheVerdictAnOlderOneOnlyJoinsTheHistory) {
  PutRule("encrypted-volumes");
  ASSERT_EQ(Import({Volume("vol-1", false, "2026-02-23T10:00:00Z")}).status, 200);
  EXPECT_EQ(Verdicts("encrypted-volumes").at("vol-1"), "NON_COMPLIANT");
  Reply r = Import({Volume("vol-1", true, "2026-02-23T11:00:00Z")});
  EXPECT_EQ(r.Root().Get("Recorded").Int(), 1);
  EXPECT_EQ(Verdicts("encrypted-volumes").at("vol-1"), "COMPLIANT");
  // A capture older than the current one, arriving late: history only, the verdict stands.
  r = Import({Volume("vol-1", false, "2026-02-23T09:00:00Z")});
  EXPECT_EQ(r.Root().Get("History").Int(), 1);
  EXPECT_EQ(Verdicts("encrypted-volumes").at("vol-1"), "COMPLIANT");
  // The same item again changes nothing.
  r = Import({Volume("vol-1", true, "2026-02-23T11:00:00Z")});
  EXPECT_EQ(r.Root().Get("Unchanged").Int(), 1);
  // Deleted: NOT_APPLICABLE, as AWS's rules judge a deleted resource.
  r = Import({Volume("vol-1", true, "2026-02-23T12:00:00Z", "ResourceDeleted")});
  EXPECT_EQ(Verdicts("encrypted-volumes").at("vol-1"), "NOT_APPLICABLE");
}

TEST_F(EvaluatorTest, ItemsOfAnotherAccountAreRefusedByName) {
  const Reply r = Import({Volume("vol-9", true, "2026-02-23T10:00:00Z", "OK", "222222222222")});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Root().Get("Recorded").Int(), 0);
  ASSERT_EQ(r.Root().Get("Refused").Size(), 1u);
  EXPECT_NE(r.Root().Get("Refused").At(0).AsText().find("vol-9 belongs to account 222222222222"),
            std::string::npos);
}

TEST_F(EvaluatorTest, ARuleCreatedAfterTheItemsIsEvaluatedByTheWorker) {
  ASSERT_EQ(Import({Volume("vol-1", false, "2026-02-23T10:00:00Z")}).status, 200);
  PutRule("encrypted-volumes");
  EXPECT_TRUE(Verdicts("encrypted-volumes").empty());
  Reply s =
      Call("DescribeConfigRuleEvaluationStatus", R"({"ConfigRuleNames": ["encrypted-volumes"]})");
  ASSERT_EQ(s.status, 200) << s.body;
  const json::Value before = s.Root().Get("ConfigRulesEvaluationStatus").At(0);
  EXPECT_EQ(before.Get("ConfigRuleName").AsText(), "encrypted-volumes");
  EXPECT_FALSE(before.Get("FirstActivatedTime").Missing());
  EXPECT_TRUE(before.Get("LastSuccessfulEvaluationTime").Missing());

  EXPECT_EQ(RunWorker(now_ + 1000), 1u);
  EXPECT_EQ(Verdicts("encrypted-volumes").at("vol-1"), "NON_COMPLIANT");
  s = Call("DescribeConfigRuleEvaluationStatus", "{}");
  const json::Value after = s.Root().Get("ConfigRulesEvaluationStatus").At(0);
  EXPECT_TRUE(after.Get("FirstEvaluationStarted").Bool().value_or(false));
  EXPECT_FALSE(after.Get("LastSuccessfulEvaluationTime").Missing());
  EXPECT_TRUE(after.Get("vigilLastScheduledRun").Missing());  // vigil's bookkeeping stays inside
}

TEST_F(EvaluatorTest, StartConfigRulesEvaluation) {
  Reply r = Call("StartConfigRulesEvaluation", R"({"ConfigRuleNames": ["nope"]})");
  EXPECT_EQ(r.type, "NoSuchConfigRuleException");
  PutRule("encrypted-volumes");
  RunWorker(now_);
  ASSERT_EQ(Import({Volume("vol-1", false, "2026-02-23T10:00:00Z")}).status, 200);
  r = Call("StartConfigRulesEvaluation", R"({"ConfigRuleNames": ["encrypted-volumes"]})");
  ASSERT_EQ(r.status, 200) << r.body;
  // Until that evaluation has run, another one for the same rule is refused, as AWS does.
  r = Call("StartConfigRulesEvaluation", R"({"ConfigRuleNames": ["encrypted-volumes"]})");
  EXPECT_EQ(r.type, "ResourceInUseException");
  EXPECT_EQ(RunWorker(now_ + 1000), 1u);
  r = Call("StartConfigRulesEvaluation", R"({"ConfigRuleNames": ["encrypted-volumes"]})");
  EXPECT_EQ(r.status, 200) << r.body;
  r = Call("DescribeConfigRuleEvaluationStatus", R"({"ConfigRuleNames": ["nope"]})");
  EXPECT_EQ(r.type, "NoSuchConfigRuleException");
}

TEST_F(EvaluatorTest, APeriodicAccountLevelRuleRunsOnItsSchedule) {
  const Reply put =
      Call("PutConfigRule", R"({"ConfigRule": {"ConfigRuleName": "iam-password-policy",
      "Source": {"Owner": "AWS", "SourceIdentifier": "IAM_PASSWORD_POLICY"},
      "InputParameters": "{\"MinimumPasswordLength\":\"14\"}",
      "MaximumExecutionFrequency": "One_Hour"}})");
  ASSERT_EQ(put.status, 200) << put.body;
  ASSERT_EQ(Import({}, R"([{"Name": "iam-get-account-password-policy", "Region": "us-east-1",
                    "Document": {"PasswordPolicy": {"MinimumPasswordLength": 8}}}])")
                .status,
            200);
  RunWorker(now_);
  EXPECT_EQ(Verdicts("iam-password-policy").at("111111111111"), "NON_COMPLIANT");
  // The policy is fixed; the next run is due an hour after the last one.
  ASSERT_EQ(Import({}, R"([{"Name": "iam-get-account-password-policy", "Region": "us-east-1",
                      "Document": {"PasswordPolicy": {"MinimumPasswordLength": 16,
                        "RequireSymbols": true, "RequireNumbers": true,
                        "RequireUppercaseCharacters": true, "RequireLowercaseCharacters": true,
                        "ExpirePasswords": true, "MaxPasswordAge": 60,
                        "PasswordReusePrevention": 24}}}])")
                .status,
            200);
  // (New facts queue the tenant's rules again at once.)
  EXPECT_EQ(RunWorker(now_ + 60 * 1000), 1u);
  EXPECT_EQ(Verdicts("iam-password-policy").at("111111111111"), "COMPLIANT");
  EXPECT_EQ(RunWorker(now_ + 30 * 60 * 1000), 0u);      // not due yet
  EXPECT_EQ(RunWorker(now_ + 61 * 60 * 1000 + 1), 1u);  // due
}

TEST_F(EvaluatorTest, AGuardRuleJudgesAThirdPartyResourceOnPutResourceConfig) {
  PutRecorder();
  ASSERT_EQ(
      Call("PutDeliveryChannel", R"({"DeliveryChannel": {"name": "default", "s3BucketName": "b"}})")
          .status,
      200);
  ASSERT_EQ(
      Call("StartConfigurationRecorder", R"({"ConfigurationRecorderName": "default"})").status,
      200);
  const Reply put = Call("PutConfigRule", R"({"ConfigRule": {"ConfigRuleName": "widgets-small",
      "Scope": {"ComplianceResourceTypes": ["Acme::Shop::Widget"]},
      "Source": {"Owner": "CUSTOM_POLICY",
        "SourceDetails": [{"EventSource": "aws.config",
                           "MessageType": "ConfigurationItemChangeNotification"}],
        "CustomPolicyDetails": {"PolicyRuntime": "guard-2.x.x",
          "PolicyText": "rule small { configuration.size <= 10 }"}}}})");
  ASSERT_EQ(put.status, 200) << put.body;
  auto widget = [&](std::string_view id, int size) {
    return Call(
        "PutResourceConfig", R"({"ResourceType": "Acme::Shop::Widget", "SchemaVersionId": "1",
        "ResourceId": ")" + std::string(id) +
                                 R"(", "Configuration": "{\"size\": )" + std::to_string(size) +
                                 R"(}"})");
  };
  ASSERT_EQ(widget("w-1", 5).status, 200);
  ASSERT_EQ(widget("w-2", 50).status, 200);
  auto v = Verdicts("widgets-small");
  EXPECT_EQ(v.at("w-1"), "COMPLIANT");
  EXPECT_EQ(v.at("w-2"), "NON_COMPLIANT");
  ASSERT_EQ(widget("w-2", 7).status, 200);
  EXPECT_EQ(Verdicts("widgets-small").at("w-2"), "COMPLIANT");
}

TEST_F(EvaluatorTest, AnItemThatLeavesATagScopeIsNotApplicable) {
  const Reply put = Call("PutConfigRule", R"({"ConfigRule": {"ConfigRuleName": "core-volumes",
      "Scope": {"ComplianceResourceTypes": ["AWS::EC2::Volume"], "TagKey": "team",
                "TagValue": "core"},
      "Source": {"Owner": "AWS", "SourceIdentifier": "ENCRYPTED_VOLUMES"}}})");
  ASSERT_EQ(put.status, 200) << put.body;
  ASSERT_EQ(Import({Volume("vol-1", false, "2026-02-23T10:00:00Z")}).status, 200);
  EXPECT_EQ(Verdicts("core-volumes").at("vol-1"), "NON_COMPLIANT");
  std::string moved = Volume("vol-1", false, "2026-02-23T11:00:00Z");
  moved.replace(moved.find("\"core\""), 6, "\"edge\"");
  ASSERT_EQ(Import({moved}).status, 200);
  EXPECT_EQ(Verdicts("core-volumes").at("vol-1"), "NOT_APPLICABLE");
}

}  // namespace
}  // namespace vigil::api
