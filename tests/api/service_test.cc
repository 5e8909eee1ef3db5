// The AWS Config service in process (no HTTP): signed requests through api::Service, checking
// the protocol (targets, serialization and validation errors), tenancy, the operations' AWS
// rules, and that state survives reopening the store.
#include "api/service.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "json/value.h"
#include "service_fixture.h"

namespace vigil::api {
namespace {

using testing_fixture::Reply;
using testing_fixture::ServiceTest;

TEST_F(ServiceTest, UnknownTargetIsUnknownOperation) {
  EXPECT_EQ(Call("NoSuchThing", "{}").type, "UnknownOperationException");
  aws::HttpRequest r;
  r.body = "{}";
  r.headers = {{"Host", "h"}, {"X-Amz-Target", "DynamoDB_20120810.ListTables"}};
  aws::Sign(r, {"AKIDA", "secretA"}, "us-east-1", "config", now_);
  const Reply reply = Send(r);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.type, "UnknownOperationException");
}

TEST_F(ServiceTest, AuthenticationComesFirst) {
  aws::HttpRequest r;
  r.body = "not json";
  r.headers = {{"Host", "h"}, {"X-Amz-Target", "StarlingDoveService.Nope"}};
  EXPECT_EQ(Send(r).type, "MissingAuthenticationTokenException");
  EXPECT_EQ(Call("DescribeConfigRules", "{}", "AKIDA", "wrong").type, "InvalidSignatureException");
  EXPECT_EQ(Call("DescribeConfigRules", "{}", "AKIDX", "secretA").type,
            "UnrecognizedClientException");
}

TEST_F(ServiceTest, MalformedJsonAndWrongTypesAreSerializationErrors) {
  EXPECT_EQ(Call("DescribeConfigRules", "{\"ConfigRuleNames\": [").type, "SerializationException");
  EXPECT_EQ(Call("DescribeConfigRules", "[1]").type, "SerializationException");
  EXPECT_EQ(Call("DescribeConfigRules", R"({"ConfigRuleNames": "abc"})").type,
            "SerializationException");
  EXPECT_EQ(Call("DescribeConfigRules", R"({"ConfigRuleNames": [1]})").type,
            "SerializationException");
  EXPECT_EQ(Call("PutConfigRule", R"({"ConfigRule": {"Source": {"Owner": true}}})").type,
            "SerializationException");
  // An empty body is an empty request.
  EXPECT_EQ(Call("DescribeConfigRules", "").status, 200);
}

TEST_F(ServiceTest, ValidationFollowsTheModel) {
  Reply r = Call("PutConfigRule", R"({"ConfigRule": {"ConfigRuleName": "x"}})");
  EXPECT_EQ(r.type, "ValidationException");
  EXPECT_EQ(r.message,
            "1 validation error detected: Value null at 'configRule.source' failed to satisfy "
            "constraint: Member must not be null");
  r = Call("PutConfigRule", R"({"ConfigRule": {"ConfigRuleName": "   ",
      "Source": {"Owner": "SOMEONE"}, "MaximumExecutionFrequency": "Daily"}})");
  EXPECT_EQ(r.type, "ValidationException");
  EXPECT_EQ(r.message.rfind("3 validation errors detected: ", 0), 0u) << r.message;
  EXPECT_NE(r.message.find("Value '   ' at 'configRule.configRuleName' failed to satisfy "
                           "constraint: Member must satisfy regular expression pattern: .*\\S.*"),
            std::string::npos)
      << r.message;
  EXPECT_NE(r.message.find("Value 'SOMEONE' at 'configRule.source.owner' failed to satisfy "
                           "constraint: Member must satisfy enum value set: [CUSTOM_LAMBDA, AWS, "
                           "CUSTOM_POLICY]"),
            std::string::npos)
      << r.message;
  r = Call("PutConfigRule", R"({"ConfigRule": {"ConfigRuleName": ")" + std::string(129, 'a') +
                                R"(", "Source": {"Owner": "AWS", "SourceIdentifier": "X"}}})");
  EXPECT_NE(r.message.find("Member must have length less than or equal to 128"), std::string::npos);
  std::string names;
  for (int i = 0; i < 26; ++i) names += (i ? ",\"r" : "\"r") + std::to_string(i) + "\"";
  r = Call("DescribeConfigRules", R"({"ConfigRuleNames": [)" + names + "]}");
  EXPECT_EQ(r.type, "ValidationException");
  EXPECT_NE(r.message.find("at 'configRuleNames' failed to satisfy constraint: Member must have "
                           "length less than or equal to 25"),
            std::string::npos)
      << r.message;
  r = Call("GetComplianceDetailsByConfigRule", R"({"ConfigRuleName": "x", "Limit": 101})");
  EXPECT_EQ(r.type, "ValidationException");
  EXPECT_NE(r.message.find("Member must have value less than or equal to 100"), std::string::npos);
}

TEST_F(ServiceTest, UnimplementedOperationSaysSo) {
  const Reply r = Call("ListStoredQueries", "{}");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.type, "UnknownOperationException");
  EXPECT_EQ(r.message, "vigil serve does not implement ListStoredQueries yet");
  bool listed = false;
  for (const auto& [name, implemented] : Service::ListOperations()) {
    if (name == "PutConfigRule") listed = implemented;
    if (name == "ListStoredQueries") {
      EXPECT_FALSE(implemented);
    }
  }
  EXPECT_TRUE(listed);
}

TEST_F(ServiceTest, RecorderLifecycle) {
  EXPECT_EQ(Call("StartConfigurationRecorder", R"({"ConfigurationRecorderName": "default"})").type,
            "NoSuchConfigurationRecorderException");
  EXPECT_EQ(Call("PutDeliveryChannel", R"({"DeliveryChannel": {"s3BucketName": "b"}})").type,
            "NoAvailableConfigurationRecorderException");
  PutRecorder();
  Reply r = Call("PutConfigurationRecorder", R"({"ConfigurationRecorder": {"name": "second",
      "roleARN": "arn:aws:iam::111111111111:role/config"}})");
  EXPECT_EQ(r.type, "MaxNumberOfConfigurationRecordersExceededException");
  r = Call("PutConfigurationRecorder", R"({"ConfigurationRecorder": {"name": "default",
      "roleARN": "arn:aws:iam::111111111111:role/config",
      "recordingGroup": {"allSupported": true, "resourceTypes": ["AWS::S3::Bucket"]}}})");
  EXPECT_EQ(r.type, "InvalidRecordingGroupException");
  EXPECT_EQ(Call("StartConfigurationRecorder", R"({"ConfigurationRecorderName": "default"})").type,
            "NoAvailableDeliveryChannelException");
  EXPECT_EQ(Call("PutDeliveryChannel", R"({"DeliveryChannel": {"name": "default"}})").type,
            "NoSuchBucketException");
  ASSERT_EQ(Call("PutDeliveryChannel", R"({"DeliveryChannel": {"s3BucketName": "b"}})").status,
            200);
  EXPECT_EQ(Call("PutDeliveryChannel", R"({"DeliveryChannel": {"name": "other",
      "s3BucketName": "b"}})")
                .type,
            "MaxNumberOfDeliveryChannelsExceededException");
  ASSERT_EQ(
      Call("StartConfigurationRecorder", R"({"ConfigurationRecorderName": "default"})").status,
      200);
  r = Call("DescribeConfigurationRecorderStatus", "{}");
  const json::Value status = r.Root().Get("ConfigurationRecordersStatus").At(0);
  EXPECT_EQ(status.Get("name").AsText(), "default");
  EXPECT_EQ(status.Get("recording").Bool(), true);
  EXPECT_EQ(status.Get("lastStartTime").Number(), now_ / 1000.0);
  EXPECT_EQ(Call("DeleteDeliveryChannel", R"({"DeliveryChannelName": "default"})").type,
            "LastDeliveryChannelDeleteFailedException");
  ASSERT_EQ(Call("StopConfigurationRecorder", R"({"ConfigurationRecorderName": "default"})").status,
            200);
  EXPECT_EQ(Call("DeleteDeliveryChannel", R"({"DeliveryChannelName": "default"})").status, 200);
  EXPECT_EQ(Call("DescribeDeliveryChannels", R"({"DeliveryChannelNames": ["default"]})").type,
            "NoSuchDeliveryChannelException");
  r = Call("DescribeConfigurationRecorders", "{}");
  const json::Value rec = r.Root().Get("ConfigurationRecorders").At(0);
  EXPECT_EQ(rec.Get("recordingGroup").Get("recordingStrategy").Get("useOnly").AsText(),
            "ALL_SUPPORTED_RESOURCE_TYPES");
  EXPECT_EQ(rec.Get("arn").AsText().rfind(
                "arn:aws:config:us-east-1:111111111111:configuration-recorder/default/", 0),
            0u);
  EXPECT_EQ(
      Call("DeleteConfigurationRecorder", R"({"ConfigurationRecorderName": "default"})").status,
      200);
  EXPECT_EQ(
      Call("DescribeConfigurationRecorders", R"({"ConfigurationRecorderNames": ["default"]})").type,
      "NoSuchConfigurationRecorderException");
}

TEST_F(ServiceTest, ConfigRulesGetArnIdAndStateAndSurviveRestart) {
  PutRule("encrypted-volumes");
  Reply r = Call("DescribeConfigRules", "{}");
  const json::Value rule = r.Root().Get("ConfigRules").At(0);
  const std::string id = rule.Get("ConfigRuleId").AsText();
  EXPECT_EQ(id.size(), std::string("config-rule-").size() + 6);
  EXPECT_EQ(rule.Get("ConfigRuleArn").AsText(),
            "arn:aws:config:us-east-1:111111111111:config-rule/" + id);
  EXPECT_EQ(rule.Get("ConfigRuleState").AsText(), "ACTIVE");
  // An update by id keeps the ARN and id.
  r = Call("PutConfigRule", R"({"ConfigRule": {"ConfigRuleId": ")" + id +
                                R"(", "Description": "d", "Source": {"Owner": "AWS",
      "SourceIdentifier": "ENCRYPTED_VOLUMES"}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  Open();
  r = Call("DescribeConfigRules", R"({"ConfigRuleNames": ["encrypted-volumes"]})");
  EXPECT_EQ(r.Root().Get("ConfigRules").At(0).Get("ConfigRuleId").AsText(), id);
  EXPECT_EQ(r.Root().Get("ConfigRules").At(0).Get("Description").AsText(), "d");
  EXPECT_EQ(Call("DeleteConfigRule", R"({"ConfigRuleName": "encrypted-volumes"})").status, 200);
  EXPECT_EQ(Call("DeleteConfigRule", R"({"ConfigRuleName": "encrypted-volumes"})").type,
            "NoSuchConfigRuleException");
}

TEST_F(ServiceTest, PutConfigRuleChecksAsAws) {
  auto put = [&](std::string rule) {
    return Call("PutConfigRule", R"({"ConfigRule": )" + rule + "}");
  };
  EXPECT_EQ(
      put(R"({"ConfigRuleName": "a", "Source": {"Owner": "AWS", "SourceIdentifier": "NOPE"}})")
          .type,
      "InvalidParameterValueException");
  EXPECT_EQ(put(R"({"ConfigRuleName": "a", "ConfigRuleId": "config-rule-abcdef",
      "Source": {"Owner": "AWS", "SourceIdentifier": "ENCRYPTED_VOLUMES"}})")
                .type,
            "InvalidParameterValueException");
  Reply r = put(R"({"ConfigRuleName": "a", "InputParameters": "{\"nope\": \"1\"}",
      "Source": {"Owner": "AWS", "SourceIdentifier": "ENCRYPTED_VOLUMES"}})");
  EXPECT_EQ(r.message, "Unknown parameters provided in the inputParameters: {\"nope\":\"1\"}");
  r = put(R"({"ConfigRuleName": "a", "InputParameters": "{not json",
      "Source": {"Owner": "AWS", "SourceIdentifier": "ENCRYPTED_VOLUMES"}})");
  EXPECT_EQ(r.message, "Invalid json {not json passed in the InputParameters field");
  EXPECT_EQ(put(R"({"ConfigRuleName": "a", "Source": {"Owner": "CUSTOM_LAMBDA",
      "SourceIdentifier": "arn:aws:lambda:us-east-1:111111111111:function:f"}})")
                .type,
            "InvalidParameterValueException");
  r = put(R"({"ConfigRuleName": "p", "Source": {"Owner": "CUSTOM_LAMBDA",
      "SourceIdentifier": "arn:aws:lambda:us-east-1:111111111111:function:f",
      "SourceDetails": [{"EventSource": "aws.config", "MessageType": "ScheduledNotification"}]}})");
  ASSERT_EQ(r.status, 200) << r.body;
  r = Call("DescribeConfigRules", R"({"ConfigRuleNames": ["p"]})");
  EXPECT_EQ(r.Root()
                .Get("ConfigRules")
                .At(0)
                .Get("Source")
                .Get("SourceDetails")
                .At(0)
                .Get("MaximumExecutionFrequency")
                .AsText(),
            "TwentyFour_Hours");
}

TEST_F(ServiceTest, RuleLimitAndPagination) {
  Limits limits;
  limits.max_config_rules = 30;
  Open(limits);
  for (int i = 0; i < 30; ++i)
    PutRule("rule-" + std::string(i < 10 ? "0" : "") + std::to_string(i));
  EXPECT_EQ(Call("PutConfigRule", R"({"ConfigRule": {"ConfigRuleName": "one-more",
      "Source": {"Owner": "AWS", "SourceIdentifier": "ENCRYPTED_VOLUMES"}}})")
                .type,
            "MaxNumberOfConfigRulesExceededException");
  PutRule("rule-00");  // an update is not a new rule
  Reply first = Call("DescribeConfigRules", "{}");
  ASSERT_EQ(first.Root().Get("ConfigRules").Size(), 25u);
  const std::string token = first.Root().Get("NextToken").AsText();
  ASSERT_FALSE(token.empty());
  Reply second = Call("DescribeConfigRules", R"({"NextToken": ")" + token + "\"}");
  ASSERT_EQ(second.Root().Get("ConfigRules").Size(), 5u);
  EXPECT_EQ(second.Root().Get("ConfigRules").At(0).Get("ConfigRuleName").AsText(), "rule-25");
  EXPECT_TRUE(second.Root().Get("NextToken").Missing());
  EXPECT_EQ(Call("DescribeConfigRules", R"({"NextToken": "garbage"})").type,
            "InvalidNextTokenException");
}

TEST_F(ServiceTest, TenantsSeeOnlyTheirOwnData) {
  PutRule("account-a-rule");
  // Another account, same region.
  Reply r = Call("DescribeConfigRules", "{}", "AKIDB", "secretB");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Root().Get("ConfigRules").Size(), 0u);
  EXPECT_EQ(
      Call("DescribeConfigRules", R"({"ConfigRuleNames": ["account-a-rule"]})", "AKIDB", "secretB")
          .type,
      "NoSuchConfigRuleException");
  EXPECT_EQ(
      Call("DeleteConfigRule", R"({"ConfigRuleName": "account-a-rule"})", "AKIDB", "secretB").type,
      "NoSuchConfigRuleException");
  // Same account, another region.
  r = Call("DescribeConfigRules", "{}", "AKIDA", "secretA", "eu-west-1");
  EXPECT_EQ(r.Root().Get("ConfigRules").Size(), 0u);
  r = Call("DescribeConfigRules", "{}");
  EXPECT_EQ(r.Root().Get("ConfigRules").Size(), 1u);
}

TEST(CredentialTable, RejectsBadLines) {
  EXPECT_FALSE(CredentialTable::Parse("AKID secret", "f").ok());
  EXPECT_FALSE(CredentialTable::Parse("AKID secret 12345", "f").ok());
  EXPECT_FALSE(CredentialTable::Parse("A s 111111111111\nA t 222222222222", "f").ok());
  EXPECT_FALSE(CredentialTable::Parse("# nothing\n", "f").ok());
  auto t = CredentialTable::Parse("A\ts 111111111111 # c\n\n", "f");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->Find("A")->account_id, "111111111111");
}

}  // namespace
}  // namespace vigil::api
