// Conformance packs in process: PutConformancePack (templates resolved as `vigil evaluate --pack`
// does, parameters overridden, rules stored as real config rules under AWS's names, updates,
// template errors), the describe and compliance operations over stored evaluation results, the
// score, DeleteConformancePack, and tenancy.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <string>

#include "api/records.h"
#include "common/strings.h"
#include "json/writer.h"
#include "service_fixture.h"

namespace vigil::api {
namespace {

using testing_fixture::Reply;

constexpr const char* kTemplate = R"(
Parameters:
  AccessKeysRotatedParamMaxAccessKeyAge:
    Type: String
    Default: "90"
Resources:
  AccessKeysRotated:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: access-keys-rotated
      InputParameters:
        maxAccessKeyAge: !Ref AccessKeysRotatedParamMaxAccessKeyAge
      Source:
        Owner: AWS
        SourceIdentifier: ACCESS_KEYS_ROTATED
  PolicyInUse:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: policy-in-use
      InputParameters:
        policyARN: !Sub "arn:aws:iam::${AWS::AccountId}:policy/audit-${AWS::Region}"
      Source:
        Owner: AWS
        SourceIdentifier: IAM_POLICY_IN_USE
  PolicyInUseRemediation:
    Type: AWS::Config::RemediationConfiguration
    Properties:
      ConfigRuleName: policy-in-use
      TargetId: AWS-AttachIAMPolicy
      TargetType: SSM_DOCUMENT
      Automatic: false
)";

// The same pack, updated: one rule changed, one removed, one added.
constexpr const char* kTemplateV2 = R"(
Resources:
  AccessKeysRotated:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: access-keys-rotated
      InputParameters:
        maxAccessKeyAge: "30"
      Source:
        Owner: AWS
        SourceIdentifier: ACCESS_KEYS_ROTATED
  EncryptedVolumes:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: encrypted-volumes
      Source:
        Owner: AWS
        SourceIdentifier: ENCRYPTED_VOLUMES
)";

class ConformancePackTest : public testing_fixture::ServiceTest {
 protected:
  Reply PutPack(const std::string& name, const std::string& body, const std::string& extra = "",
                std::string key = "AKIDA", std::string secret = "secretA") {
    json::Writer w;
    w.String(body);
    return Call(
        "PutConformancePack",
        R"({"ConformancePackName": ")" + name + R"(", "TemplateBody": )" + w.str() + extra + "}",
        key, secret);
  }

  // The stored names of the pack's rules, by template name.
  std::map<std::string, json::Document> Rules() {
    std::map<std::string, json::Document> out;
    const Reply r = Call("DescribeConfigRules", "{}");
    EXPECT_EQ(r.status, 200) << r.body;
    for (const json::Value rule : r.Root().Get("ConfigRules").Elements()) {
      auto doc = json::Document::Parse(rule.ToJson());
      std::string name = rule.Get("ConfigRuleName").AsText();
      out.emplace(name.substr(0, name.find("-conformance-pack-")), std::move(*doc));
    }
    return out;
  }

  std::string RuleName(const std::string& base) {
    auto rules = Rules();
    auto it = rules.find(base);
    return it == rules.end() ? "" : it->second.Root().Get("ConfigRuleName").AsText();
  }

  void Evaluate(const std::string& rule, const std::string& id, const std::string& compliance,
                std::string account = "111111111111") {
    EvaluationRecord r;
    r.rule_name = rule;
    r.resource_type = "AWS::IAM::User";
    r.resource_id = id;
    r.compliance = compliance;
    r.ordering_time = now_;
    r.invoked_time = now_;
    r.recorded_time = now_;
    r.source = "engine";
    Store& store = service_->store();
    ASSERT_TRUE(store
                    .Transact([&] {
                      PutEvaluation(store, Tenant{account, "us-east-1"}, r);
                      return true;
                    })
                    .ok());
  }
};

TEST_F(ConformancePackTest, PutCreatesRulesNamedAsAwsNamesThem) {
  const Reply put = PutPack("cis", kTemplate,
                            R"(, "ConformancePackInputParameters": [{"ParameterName":
                               "AccessKeysRotatedParamMaxAccessKeyAge", "ParameterValue": "45"}])");
  ASSERT_EQ(put.status, 200) << put.body;
  const std::string arn = put.Root().Get("ConformancePackArn").AsText();
  EXPECT_TRUE(std::regex_match(
      arn, std::regex(R"(arn:aws:config:us-east-1:111111111111:conformance-pack/cis/)"
                      R"(conformance-pack-[a-z0-9]{9})")))
      << arn;

  auto rules = Rules();
  ASSERT_EQ(rules.size(), 2u);
  const json::Value keys = rules.at("access-keys-rotated").Root();
  const json::Value policy = rules.at("policy-in-use").Root();
  const std::string keys_name = keys.Get("ConfigRuleName").AsText();
  EXPECT_TRUE(
      std::regex_match(keys_name, std::regex("access-keys-rotated-conformance-pack-[a-z0-9]{8}")))
      << keys_name;
  // One suffix per pack.
  EXPECT_EQ(keys_name.substr(keys_name.size() - 8),
            policy.Get("ConfigRuleName")
                .AsText()
                .substr(policy.Get("ConfigRuleName").AsText().size() - 8));
  EXPECT_EQ(keys.Get("CreatedBy").AsText(), "config-conforms.amazonaws.com");
  EXPECT_EQ(keys.Get("ConfigRuleState").AsText(), "ACTIVE");
  EXPECT_EQ(keys.Get("InputParameters").AsText(), R"({"maxAccessKeyAge":"45"})");
  EXPECT_EQ(policy.Get("InputParameters").AsText(),
            R"({"policyARN":"arn:aws:iam::111111111111:policy/audit-us-east-1"})");
  EXPECT_TRUE(StartsWith(keys.Get("ConfigRuleArn").AsText(),
                         "arn:aws:config:us-east-1:111111111111:config-rule/config-rule-"));

  const Reply described = Call("DescribeConformancePacks", "{}");
  ASSERT_EQ(described.status, 200) << described.body;
  const json::Value detail = described.Root().Get("ConformancePackDetails").At(0);
  EXPECT_EQ(detail.Get("ConformancePackName").AsText(), "cis");
  EXPECT_EQ(detail.Get("ConformancePackArn").AsText(), arn);
  EXPECT_EQ(detail.Get("ConformancePackInputParameters").At(0).Get("ParameterValue").AsText(),
            "45");
  EXPECT_TRUE(detail.Get("vigilRules").Missing()) << "vigil's own members must not leak";

  const Reply status = Call("DescribeConformancePackStatus", "{}");
  ASSERT_EQ(status.status, 200) << status.body;
  const json::Value s = status.Root().Get("ConformancePackStatusDetails").At(0);
  EXPECT_EQ(s.Get("ConformancePackState").AsText(), "CREATE_COMPLETE");
  EXPECT_TRUE(StartsWith(s.Get("StackArn").AsText(),
                         "arn:aws:cloudformation:us-east-1:111111111111:stack/"));

  // The remediation is kept for the rule, under its stored name.
  Store& store = service_->store();
  std::optional<std::string> remediation;
  ASSERT_TRUE(store
                  .Transact([&] {
                    remediation =
                        store.Get(Tenant{"111111111111", "us-east-1"}, "remediation-configuration",
                                  policy.Get("ConfigRuleName").AsText());
                    return true;
                  })
                  .ok());
  ASSERT_TRUE(remediation.has_value());
  auto rdoc = json::Document::Parse(*remediation);
  ASSERT_TRUE(rdoc.ok());
  EXPECT_EQ(rdoc->Root().Get("TargetId").AsText(), "AWS-AttachIAMPolicy");
  EXPECT_EQ(rdoc->Root().Get("CreatedByService").AsText(), "config-conforms.amazonaws.com");
}

TEST_F(ConformancePackTest, PackRulesCannotBeChangedOrDeletedDirectly) {
  ASSERT_EQ(PutPack("cis", kTemplate).status, 200);
  const std::string name = RuleName("access-keys-rotated");
  Reply r =
      Call("PutConfigRule",
           R"({"ConfigRule": {"ConfigRuleName": ")" + name +
               R"(", "Source": {"Owner": "AWS", "SourceIdentifier": "ACCESS_KEYS_ROTATED"}}})");
  EXPECT_EQ(r.type, "InvalidParameterValueException");
  EXPECT_NE(r.message.find("conformance pack"), std::string::npos) << r.message;
  r = Call("DeleteConfigRule", R"({"ConfigRuleName": ")" + name + "\"}");
  EXPECT_EQ(r.type, "InvalidParameterValueException");
  EXPECT_EQ(Rules().size(), 2u);
}

TEST_F(ConformancePackTest, TemplateErrorsAreAwsErrors) {
  // A resolver error names the template's line.
  Reply r = PutPack("bad", "Resources:\n  R:\n    Type: AWS::S3::Bucket\n");
  EXPECT_EQ(r.type, "ConformancePackTemplateValidationException");
  EXPECT_NE(r.message.find("TemplateBody:3:"), std::string::npos) << r.message;
  // A managed rule with a parameter it does not declare: the rule's own check.
  r = PutPack("bad", R"(
Resources:
  R:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: r
      InputParameters: {nope: "1"}
      Source: {Owner: AWS, SourceIdentifier: ENCRYPTED_VOLUMES}
)");
  EXPECT_EQ(r.type, "ConformancePackTemplateValidationException") << r.body;
  r = PutPack(
      "bad", kTemplate,
      R"(, "ConformancePackInputParameters": [{"ParameterName": "Nope", "ParameterValue": "1"}])");
  EXPECT_EQ(r.type, "ConformancePackTemplateValidationException");
  EXPECT_NE(r.message.find("Nope"), std::string::npos);

  r = Call("PutConformancePack",
           R"({"ConformancePackName": "s3", "TemplateS3Uri": "s3://bucket/pack.yaml"})");
  EXPECT_EQ(r.type, "ConformancePackTemplateValidationException");
  r = Call(
      "PutConformancePack",
      R"({"ConformancePackName": "ssm", "TemplateSSMDocumentDetails": {"DocumentName": "doc"}})");
  EXPECT_EQ(r.type, "InvalidParameterValueException");
  r = Call("PutConformancePack", R"({"ConformancePackName": "none"})");
  EXPECT_EQ(r.type, "InvalidParameterValueException");
  r = Call("PutConformancePack", R"({"ConformancePackName": "1bad", "TemplateBody": "x"})");
  EXPECT_EQ(r.type, "ValidationException");  // the model's name pattern
  // Nothing of a refused pack is stored.
  EXPECT_EQ(Rules().size(), 0u);
  EXPECT_EQ(Call("DescribeConformancePacks", "{}").Root().Get("ConformancePackDetails").Size(), 0u);
}

TEST_F(ConformancePackTest, RePutUpdatesTheRules) {
  ASSERT_EQ(PutPack("cis", kTemplate).status, 200);
  auto before = Rules();
  const std::string keys_arn =
      before.at("access-keys-rotated").Root().Get("ConfigRuleArn").AsText();
  const std::string policy = before.at("policy-in-use").Root().Get("ConfigRuleName").AsText();
  Evaluate(policy, "u-1", "NON_COMPLIANT");
  const std::string pack_arn = Call("DescribeConformancePacks", "{}")
                                   .Root()
                                   .Get("ConformancePackDetails")
                                   .At(0)
                                   .Get("ConformancePackArn")
                                   .AsText();

  now_ += 60000;
  const Reply r = PutPack("cis", kTemplateV2);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Root().Get("ConformancePackArn").AsText(), pack_arn);
  auto after = Rules();
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after.count("policy-in-use"), 0u);
  ASSERT_EQ(after.count("encrypted-volumes"), 1u);
  EXPECT_EQ(after.at("access-keys-rotated").Root().Get("ConfigRuleArn").AsText(), keys_arn);
  EXPECT_EQ(after.at("access-keys-rotated").Root().Get("InputParameters").AsText(),
            R"({"maxAccessKeyAge":"30"})");
  // The removed rule's results went with it.
  const Reply details =
      Call("GetComplianceDetailsByConfigRule", R"({"ConfigRuleName": ")" + policy + "\"}");
  EXPECT_EQ(details.type, "NoSuchConfigRuleException");
}

TEST_F(ConformancePackTest, ComplianceFromTheRulesResults) {
  ASSERT_EQ(PutPack("cis", kTemplate).status, 200);
  ASSERT_EQ(PutPack("other", kTemplateV2).status, 200);
  const std::string keys = RuleName("access-keys-rotated");  // of one of the packs
  const Reply d = Call("DescribeConformancePackCompliance", R"({"ConformancePackName": "cis"})");
  ASSERT_EQ(d.status, 200) << d.body;
  ASSERT_EQ(d.Root().Get("ConformancePackRuleComplianceList").Size(), 2u);
  EXPECT_EQ(d.Root().Get("ConformancePackRuleComplianceList").At(0).Get("ComplianceType").AsText(),
            "INSUFFICIENT_DATA");
  Reply s = Call("GetConformancePackComplianceSummary", R"({"ConformancePackNames": ["cis"]})");
  ASSERT_EQ(s.status, 200) << s.body;
  EXPECT_EQ(s.Root()
                .Get("ConformancePackComplianceSummaryList")
                .At(0)
                .Get("ConformancePackComplianceStatus")
                .AsText(),
            "INSUFFICIENT_DATA");
  Reply scores = Call("ListConformancePackComplianceScores", "{}");
  ASSERT_EQ(scores.status, 200) << scores.body;
  EXPECT_EQ(scores.Root().Get("ConformancePackComplianceScores").At(0).Get("Score").AsText(),
            "INSUFFICIENT_DATA");

  // cis: access-keys-rotated 2 compliant, 1 non-compliant; policy-in-use one N/A.
  const std::string cis_keys =
      Call("DescribeConformancePackCompliance", R"({"ConformancePackName": "cis"})")
          .Root()
          .Get("ConformancePackRuleComplianceList")
          .At(0)
          .Get("ConfigRuleName")
          .AsText();
  const std::string cis_policy =
      Call("DescribeConformancePackCompliance", R"({"ConformancePackName": "cis"})")
          .Root()
          .Get("ConformancePackRuleComplianceList")
          .At(1)
          .Get("ConfigRuleName")
          .AsText();
  ASSERT_NE(cis_keys.find("access-keys-rotated"), std::string::npos);
  Evaluate(cis_keys, "u-1", "COMPLIANT");
  Evaluate(cis_keys, "u-2", "COMPLIANT");
  Evaluate(cis_policy, "111111111111", "NOT_APPLICABLE");
  s = Call("GetConformancePackComplianceSummary", R"({"ConformancePackNames": ["cis", "other"]})");
  ASSERT_EQ(s.status, 200) << s.body;
  // A compliant rule beside one without data leaves the pack COMPLIANT (AWS's rule).
  EXPECT_EQ(s.Root()
                .Get("ConformancePackComplianceSummaryList")
                .At(0)
                .Get("ConformancePackComplianceStatus")
                .AsText(),
            "COMPLIANT");
  EXPECT_EQ(s.Root()
                .Get("ConformancePackComplianceSummaryList")
                .At(1)
                .Get("ConformancePackComplianceStatus")
                .AsText(),
            "INSUFFICIENT_DATA");
  Evaluate(cis_keys, "u-3", "NON_COMPLIANT");
  s = Call("GetConformancePackComplianceSummary", R"({"ConformancePackNames": ["cis"]})");
  EXPECT_EQ(s.Root()
                .Get("ConformancePackComplianceSummaryList")
                .At(0)
                .Get("ConformancePackComplianceStatus")
                .AsText(),
            "NON_COMPLIANT");

  Reply filtered =
      Call("DescribeConformancePackCompliance",
           R"({"ConformancePackName": "cis", "Filters": {"ComplianceType": "NON_COMPLIANT"}})");
  ASSERT_EQ(filtered.Root().Get("ConformancePackRuleComplianceList").Size(), 1u);
  EXPECT_EQ(
      filtered.Root().Get("ConformancePackRuleComplianceList").At(0).Get("ConfigRuleName").AsText(),
      cis_keys);
  EXPECT_EQ(Call("DescribeConformancePackCompliance",
                 R"({"ConformancePackName": "cis", "Filters": {"ConfigRuleNames": ["nope"]}})")
                .type,
            "NoSuchConfigRuleInConformancePackException");
  EXPECT_EQ(Call("DescribeConformancePackCompliance", R"({"ConformancePackName": "nope"})").type,
            "NoSuchConformancePackException");

  // Details: the three verdicts, not the NOT_APPLICABLE one; paged.
  Reply details =
      Call("GetConformancePackComplianceDetails", R"({"ConformancePackName": "cis", "Limit": 2})");
  ASSERT_EQ(details.status, 200) << details.body;
  ASSERT_EQ(details.Root().Get("ConformancePackRuleEvaluationResults").Size(), 2u);
  const json::Value first = details.Root().Get("ConformancePackRuleEvaluationResults").At(0);
  EXPECT_EQ(first.Get("EvaluationResultIdentifier")
                .Get("EvaluationResultQualifier")
                .Get("ResourceId")
                .AsText(),
            "u-1");
  const std::string token = details.Root().Get("NextToken").AsText();
  ASSERT_FALSE(token.empty());
  details = Call("GetConformancePackComplianceDetails",
                 R"({"ConformancePackName": "cis", "Limit": 2, "NextToken": ")" + token + "\"}");
  ASSERT_EQ(details.Root().Get("ConformancePackRuleEvaluationResults").Size(), 1u);
  EXPECT_EQ(details.Root()
                .Get("ConformancePackRuleEvaluationResults")
                .At(0)
                .Get("ComplianceType")
                .AsText(),
            "NON_COMPLIANT");
  EXPECT_TRUE(details.Root().Get("NextToken").Missing());
  details = Call(
      "GetConformancePackComplianceDetails",
      R"({"ConformancePackName": "cis", "Filters": {"ResourceType": "AWS::IAM::User", "ResourceIds": ["u-2"]}})");
  ASSERT_EQ(details.Root().Get("ConformancePackRuleEvaluationResults").Size(), 1u);

  // Score: 2 compliant of 3 judged pairs.
  scores = Call("ListConformancePackComplianceScores", "{}");
  ASSERT_EQ(scores.status, 200) << scores.body;
  const json::Value list = scores.Root().Get("ConformancePackComplianceScores");
  ASSERT_EQ(list.Size(), 2u);
  EXPECT_EQ(list.At(0).Get("ConformancePackName").AsText(), "cis");
  EXPECT_EQ(list.At(0).Get("Score").AsText(), "66.67");
  EXPECT_EQ(list.At(1).Get("Score").AsText(), "INSUFFICIENT_DATA");
  // By score, descending: INSUFFICIENT_DATA first, as AWS documents.
  scores = Call("ListConformancePackComplianceScores",
                R"({"SortBy": "SCORE", "SortOrder": "DESCENDING"})");
  EXPECT_EQ(scores.Root()
                .Get("ConformancePackComplianceScores")
                .At(0)
                .Get("ConformancePackName")
                .AsText(),
            "other");
  scores = Call("ListConformancePackComplianceScores",
                R"({"Filters": {"ConformancePackNames": ["other"]}})");
  EXPECT_EQ(scores.Root().Get("ConformancePackComplianceScores").Size(), 1u);
  scores = Call("ListConformancePackComplianceScores", R"({"Limit": 1})");
  ASSERT_EQ(scores.Root().Get("ConformancePackComplianceScores").Size(), 1u);
  scores = Call("ListConformancePackComplianceScores",
                R"({"Limit": 1, "NextToken": ")" + scores.Root().Get("NextToken").AsText() + "\"}");
  EXPECT_EQ(scores.Root()
                .Get("ConformancePackComplianceScores")
                .At(0)
                .Get("ConformancePackName")
                .AsText(),
            "other");
  EXPECT_EQ(
      Call("GetConformancePackComplianceSummary", R"({"ConformancePackNames": ["nope"]})").type,
      "NoSuchConformancePackException");
  (void)keys;
}

TEST_F(ConformancePackTest, DeleteRemovesRulesResultsAndTags) {
  ASSERT_EQ(PutPack("cis", kTemplate, R"(, "Tags": [{"Key": "team", "Value": "sec"}])").status,
            200);
  const std::string arn = Call("DescribeConformancePacks", "{}")
                              .Root()
                              .Get("ConformancePackDetails")
                              .At(0)
                              .Get("ConformancePackArn")
                              .AsText();
  Reply tags = Call("ListTagsForResource", R"({"ResourceArn": ")" + arn + "\"}");
  ASSERT_EQ(tags.status, 200) << tags.body;
  EXPECT_EQ(tags.Root().Get("Tags").At(0).Get("Value").AsText(), "sec");
  const std::string keys = RuleName("access-keys-rotated");
  Evaluate(keys, "u-1", "COMPLIANT");

  EXPECT_EQ(Call("DeleteConformancePack", R"({"ConformancePackName": "cis"})").status, 200);
  EXPECT_EQ(Rules().size(), 0u);
  EXPECT_EQ(Call("DescribeConformancePacks", R"({"ConformancePackNames": ["cis"]})").type,
            "NoSuchConformancePackException");
  EXPECT_EQ(Call("DeleteConformancePack", R"({"ConformancePackName": "cis"})").type,
            "NoSuchConformancePackException");
  EXPECT_EQ(Call("ListTagsForResource", R"({"ResourceArn": ")" + arn + "\"}").type,
            "ResourceNotFoundException");
  std::int64_t left = -1;
  Store& store = service_->store();
  ASSERT_TRUE(store
                  .Transact([&] {
                    left = store.Count(Tenant{"111111111111", "us-east-1"}, kEvaluationKind);
                    return true;
                  })
                  .ok());
  EXPECT_EQ(left, 0);
  // The name can be used again.
  EXPECT_EQ(PutPack("cis", kTemplate).status, 200);
}

TEST_F(ConformancePackTest, DescribePagesAndAccountsAreIsolated) {
  for (const char* name : {"a", "b", "c"}) ASSERT_EQ(PutPack(name, kTemplateV2).status, 200);
  Reply r = Call("DescribeConformancePacks", R"({"Limit": 2})");
  ASSERT_EQ(r.Root().Get("ConformancePackDetails").Size(), 2u);
  r = Call("DescribeConformancePacks",
           R"({"Limit": 2, "NextToken": ")" + r.Root().Get("NextToken").AsText() + "\"}");
  ASSERT_EQ(r.Root().Get("ConformancePackDetails").Size(), 1u);
  EXPECT_EQ(r.Root().Get("ConformancePackDetails").At(0).Get("ConformancePackName").AsText(), "c");
  EXPECT_EQ(Call("DescribeConformancePacks", R"({"NextToken": "forged"})").type,
            "InvalidNextTokenException");
  // Status leaves unknown names out.
  r = Call("DescribeConformancePackStatus", R"({"ConformancePackNames": ["a", "zz"]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Root().Get("ConformancePackStatusDetails").Size(), 1u);

  // Account B sees none of A's packs or rules, and its own pack gets its own account's tokens.
  r = Call("DescribeConformancePacks", "{}", "AKIDB", "secretB");
  EXPECT_EQ(r.Root().Get("ConformancePackDetails").Size(), 0u);
  EXPECT_EQ(
      Call("DeleteConformancePack", R"({"ConformancePackName": "a"})", "AKIDB", "secretB").type,
      "NoSuchConformancePackException");
  ASSERT_EQ(PutPack("a", kTemplate, "", "AKIDB", "secretB").status, 200);
  r = Call("DescribeConfigRules", "{}", "AKIDB", "secretB");
  bool found = false;
  for (const json::Value rule : r.Root().Get("ConfigRules").Elements()) {
    found |= rule.Get("InputParameters").AsText() ==
             R"({"policyARN":"arn:aws:iam::222222222222:policy/audit-us-east-1"})";
  }
  EXPECT_TRUE(found) << r.body;
  EXPECT_EQ(Call("DescribeConformancePacks", "{}").Root().Get("ConformancePackDetails").Size(), 3u);
}

}  // namespace
}  // namespace vigil::api
