// Tags in process: TagResource, UntagResource and ListTagsForResource on config rules and
// conformance packs, AWS's limits and errors, pagination and tenancy.
#include <gtest/gtest.h>

#include <string>

#include "service_fixture.h"

namespace vigil::api {
namespace {

using testing_fixture::Reply;

class TagTest : public testing_fixture::ServiceTest {
 protected:
  std::string RuleArn(const std::string& name, std::string key = "AKIDA",
                      std::string secret = "secretA") {
    const Reply r =
        Call("DescribeConfigRules", R"({"ConfigRuleNames": [")" + name + "\"]}", key, secret);
    return r.Root().Get("ConfigRules").At(0).Get("ConfigRuleArn").AsText();
  }
  Reply List(const std::string& arn, const std::string& extra = "", std::string key = "AKIDA",
             std::string secret = "secretA") {
    return Call("ListTagsForResource", R"({"ResourceArn": ")" + arn + "\"" + extra + "}", key,
                secret);
  }
  Reply Tag(const std::string& arn, const std::string& tags, std::string key = "AKIDA",
            std::string secret = "secretA") {
    return Call("TagResource", R"({"ResourceArn": ")" + arn + R"(", "Tags": )" + tags + "}", key,
                secret);
  }
};

TEST_F(TagTest, TagListUntagAConfigRule) {
  ASSERT_EQ(Call("PutConfigRule", R"({"ConfigRule": {"ConfigRuleName": "r",
      "Source": {"Owner": "AWS", "SourceIdentifier": "ENCRYPTED_VOLUMES"}},
      "Tags": [{"Key": "env", "Value": "prod"}]})")
                .status,
            200);
  const std::string arn = RuleArn("r");
  Reply r = List(arn);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.Root().Get("Tags").Size(), 1u);
  EXPECT_EQ(r.Root().Get("Tags").At(0).Get("Key").AsText(), "env");

  ASSERT_EQ(Tag(arn, R"([{"Key": "team", "Value": "sec"}, {"Key": "env", "Value": "dev"}])").status,
            200);
  r = List(arn);
  ASSERT_EQ(r.Root().Get("Tags").Size(), 2u);
  EXPECT_EQ(r.Root().Get("Tags").At(0).Get("Key").AsText(), "env");  // key order
  EXPECT_EQ(r.Root().Get("Tags").At(0).Get("Value").AsText(), "dev");
  EXPECT_EQ(r.Root().Get("Tags").At(1).Get("Key").AsText(), "team");

  ASSERT_EQ(
      Call("UntagResource", R"({"ResourceArn": ")" + arn + R"(", "TagKeys": ["env", "absent"]})")
          .status,
      200);
  r = List(arn);
  ASSERT_EQ(r.Root().Get("Tags").Size(), 1u);
  EXPECT_EQ(r.Root().Get("Tags").At(0).Get("Key").AsText(), "team");

  // The tags go with the rule.
  ASSERT_EQ(Call("DeleteConfigRule", R"({"ConfigRuleName": "r"})").status, 200);
  EXPECT_EQ(List(arn).type, "ResourceNotFoundException");
}

TEST_F(TagTest, LimitsAndErrors) {
  PutRule("r");
  const std::string arn = RuleArn("r");
  EXPECT_EQ(Tag(arn, R"([{"Key": "aws:createdBy", "Value": "x"}])").type, "ValidationException");
  EXPECT_EQ(Tag(arn, R"([{"Key": "AWS:x", "Value": "x"}])").type, "ValidationException");
  EXPECT_EQ(
      Call("UntagResource", R"({"ResourceArn": ")" + arn + R"(", "TagKeys": ["aws:x"]})").type,
      "ValidationException");
  EXPECT_EQ(Tag(arn, R"([{"Key": ")" + std::string(129, 'k') + R"(", "Value": "x"}])").type,
            "ValidationException");
  EXPECT_EQ(Tag(arn, R"([{"Key": "k", "Value": ")" + std::string(257, 'v') + R"("}])").type,
            "ValidationException");
  EXPECT_EQ(Tag(arn, "[]").type, "ValidationException");  // at least one

  // 50 tags at most, counting the ones the resource has.
  std::string tags = "[";
  for (int i = 0; i < 45; ++i) {
    tags += std::string(i ? "," : "") + R"({"Key": "k)" + std::to_string(i) + R"(", "Value": "v"})";
  }
  tags += "]";
  ASSERT_EQ(Tag(arn, tags).status, 200);
  std::string more = "[";
  for (int i = 0; i < 6; ++i) {
    more += std::string(i ? "," : "") + R"({"Key": "m)" + std::to_string(i) + R"(", "Value": "v"})";
  }
  more += "]";
  EXPECT_EQ(Tag(arn, more).type, "TooManyTagsException");
  EXPECT_EQ(List(arn).Root().Get("Tags").Size(), 45u);  // nothing of the refused call kept
  // Re-tagging existing keys does not count twice.
  EXPECT_EQ(Tag(arn, tags).status, 200);

  // Pagination in key order.
  Reply r = List(arn, R"(, "Limit": 20)");
  ASSERT_EQ(r.Root().Get("Tags").Size(), 20u);
  size_t total = 20;
  while (r.Root().Get("NextToken").IsString()) {
    r = List(arn, R"(, "Limit": 20, "NextToken": ")" + r.Root().Get("NextToken").AsText() + "\"");
    ASSERT_EQ(r.status, 200) << r.body;
    total += r.Root().Get("Tags").Size();
  }
  EXPECT_EQ(total, 45u);
  EXPECT_EQ(List(arn, R"(, "NextToken": "forged")").type, "InvalidNextTokenException");

  // Unknown resources, other kinds, other accounts.
  EXPECT_EQ(List("arn:aws:config:us-east-1:111111111111:config-rule/config-rule-nope").type,
            "ResourceNotFoundException");
  EXPECT_EQ(List("arn:aws:s3:::bucket").type, "ResourceNotFoundException");
  EXPECT_EQ(Tag("arn:aws:config:us-east-1:111111111111:config-rule/config-rule-nope",
                R"([{"Key": "k", "Value": "v"}])")
                .type,
            "ResourceNotFoundException");
  EXPECT_EQ(List(arn, "", "AKIDB", "secretB").type, "ResourceNotFoundException");
  EXPECT_EQ(Tag(arn, R"([{"Key": "k", "Value": "v"}])", "AKIDB", "secretB").type,
            "ResourceNotFoundException");
  EXPECT_EQ(Call("ListTagsForResource", R"({"ResourceArn": ")" + arn + "\"}", "AKIDA", "secretA",
                 "eu-west-1")
                .type,
            "ResourceNotFoundException");
}

TEST_F(TagTest, ConformancePackTags) {
  const Reply put = Call("PutConformancePack", R"({"ConformancePackName": "p",
      "TemplateBody": "Resources:\n  R:\n    Type: AWS::Config::ConfigRule\n    Properties:\n      ConfigRuleName: r\n      Source: {Owner: AWS, SourceIdentifier: ENCRYPTED_VOLUMES}\n"})");
  ASSERT_EQ(put.status, 200) << put.body;
  const std::string arn = put.Root().Get("ConformancePackArn").AsText();
  Reply r = List(arn);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Root().Get("Tags").Size(), 0u);
  ASSERT_EQ(Tag(arn, R"([{"Key": "owner", "Value": "me"}])").status, 200);
  r = List(arn);
  ASSERT_EQ(r.Root().Get("Tags").Size(), 1u);
  EXPECT_EQ(r.Root().Get("Tags").At(0).Get("Value").AsText(), "me");
}

}  // namespace
}  // namespace vigil::api
