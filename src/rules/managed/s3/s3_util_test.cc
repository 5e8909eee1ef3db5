#include "rules/managed/s3/s3_util.h"

#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "json/value.h"
#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::rules::s3 {
namespace {

// Owns the documents behind the Values a test uses.
class Json {
 public:
  json::Value operator()(std::string_view text) {
    auto doc = json::Document::Parse(text);
    EXPECT_TRUE(doc.ok()) << doc.status().message() << "\n" << text;
    if (!doc.ok()) return {};
    docs_.push_back(std::move(doc).value());
    return docs_.back().Root();
  }

 private:
  std::deque<json::Document> docs_;
};

std::string Policy(std::string_view statements) {
  return R"({"Version":"2012-10-17","Statement":[)" + std::string(statements) + "]}";
}

constexpr std::string_view kBucket = "my-bucket";

class S3PolicyTest : public testing::Test {
 protected:
  bool Public(std::string_view statements, AccessKind kind = AccessKind::kRead) {
    return PolicyAllowsPublic(j_(Policy(statements)), kind, kBucket);
  }
  Json j_;
};

TEST_F(S3PolicyTest, WildcardPrincipalsArePublic) {
  EXPECT_TRUE(Public(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*"})"));
  EXPECT_TRUE(Public(
      R"({"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*"})"));
  EXPECT_TRUE(Public(
      R"({"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","*"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*"})"));
  EXPECT_TRUE(Public(
      R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*"})"));
  EXPECT_TRUE(Public(
      R"({"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*"})"));
}

TEST_F(S3PolicyTest, FixedPrincipalsAreNotPublic) {
  EXPECT_FALSE(Public(
      R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*","Resource":"arn:aws:s3:::my-bucket/*"})"));
  EXPECT_FALSE(Public(
      R"({"Effect":"Allow","Principal":{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*"})"));
  EXPECT_FALSE(Public(
      R"({"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::my-bucket/*"})",
      AccessKind::kWrite));
  // NotPrincipal "*" excludes everyone.
  EXPECT_FALSE(Public(
      R"({"Effect":"Allow","NotPrincipal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*"})"));
  // Deny statements never grant.
  EXPECT_FALSE(Public(
      R"({"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*"})"));
}

TEST_F(S3PolicyTest, StatementMayBeASingleObject) {
  EXPECT_TRUE(PolicyAllowsPublic(
      j_(R"({"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*"}})"),
      AccessKind::kRead, kBucket));
}

TEST_F(S3PolicyTest, AcceptsPolicyTextWrapperAndJsonText) {
  const std::string doc = Policy(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*"})");
  json::Value text = j_("\"" + [&] {
    std::string escaped;
    for (char c : doc) {
      if (c == '"') escaped += '\\';
      escaped += c;
    }
    return escaped;
  }() + "\"");
  ASSERT_TRUE(text.IsString());
  EXPECT_TRUE(PolicyAllowsPublic(text, AccessKind::kRead, kBucket));
  json::Value wrapper = j_(R"({"policyText":)" + text.ToJson() + "}");
  EXPECT_TRUE(PolicyAllowsPublic(wrapper, AccessKind::kRead, kBucket));
  EXPECT_TRUE(PolicyAllowsPublic(j_(R"({"policyText":)" + doc + "}"), AccessKind::kRead, kBucket));
  EXPECT_FALSE(PolicyAllowsPublic(j_(R"({"policyText":null})"), AccessKind::kRead, kBucket));
  EXPECT_FALSE(PolicyAllowsPublic(j_(R"("not json")"), AccessKind::kRead, kBucket));
  EXPECT_FALSE(PolicyAllowsPublic(json::Value(), AccessKind::kRead, kBucket));
}

TEST_F(S3PolicyTest, ActionsMatchWithWildcardsAndAnyCase) {
  EXPECT_TRUE(Public(R"({"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"})"));
  EXPECT_TRUE(Public(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::my-bucket/*"})"));
  EXPECT_TRUE(Public(
      R"({"Effect":"Allow","Principal":"*","Action":"S3:GET*","Resource":"arn:aws:s3:::my-bucket/*"})"));
  EXPECT_TRUE(Public(
      R"({"Effect":"Allow","Principal":"*","Action":["s3:PutObject","s3:List*"],"Resource":"arn:aws:s3:::my-bucket"})"));
  EXPECT_TRUE(Public(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObjec?","Resource":"arn:aws:s3:::my-bucket/*"})"));
  EXPECT_FALSE(Public(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:GetBucket*","Resource":"arn:aws:s3:::my-bucket"})"));
  EXPECT_FALSE(Public(R"({"Effect":"Allow","Principal":"*","Action":"ec2:*","Resource":"*"})"));
}

TEST_F(S3PolicyTest, NotAction) {
  EXPECT_TRUE(Public(
      R"({"Effect":"Allow","Principal":"*","NotAction":"s3:PutObject","Resource":"arn:aws:s3:::my-bucket/*"})"));
  EXPECT_FALSE(Public(
      R"({"Effect":"Allow","Principal":"*","NotAction":["s3:Get*","s3:List*"],"Resource":"arn:aws:s3:::my-bucket/*"})"));
  EXPECT_TRUE(Public(
      R"({"Effect":"Allow","Principal":"*","NotAction":["s3:Get*","s3:List*"],"Resource":"arn:aws:s3:::my-bucket/*"})",
      AccessKind::kWrite));
}

TEST_F(S3PolicyTest, ReadAndWriteKinds) {
  const std::string get =
      R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*"})";
  const std::string put =
      R"({"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::my-bucket/*"})";
  EXPECT_TRUE(Public(get, AccessKind::kRead));
  EXPECT_FALSE(Public(get, AccessKind::kWrite));
  EXPECT_FALSE(Public(put, AccessKind::kRead));
  EXPECT_TRUE(Public(put, AccessKind::kWrite));
  EXPECT_TRUE(Public(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:DeleteObjectVersion","Resource":"arn:aws:s3:::my-bucket/*"})",
      AccessKind::kWrite));
  EXPECT_TRUE(Public(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:PutBucketPolicy","Resource":"arn:aws:s3:::my-bucket"})",
      AccessKind::kWrite));
}

TEST_F(S3PolicyTest, ResourcesOfOtherBucketsAreIgnored) {
  EXPECT_FALSE(Public(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other-bucket/*"})"));
  // Object actions need an object resource; bucket actions the bucket ARN.
  EXPECT_FALSE(Public(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket"})"));
  EXPECT_FALSE(Public(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::my-bucket/*"})"));
  EXPECT_TRUE(Public(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/public/*"})"));
  EXPECT_TRUE(Public(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-*/*"})"));
  EXPECT_TRUE(Public(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws-cn:s3:::my-bucket/*"})"));
  EXPECT_TRUE(Public(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","NotResource":"arn:aws:s3:::my-bucket/private/*"})"));
  EXPECT_FALSE(Public(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","NotResource":"arn:aws:s3:::my-bucket/*"})"));
  // Without a bucket name, every statement is about the bucket.
  EXPECT_TRUE(PolicyAllowsPublic(
      j_(Policy(
          R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other-bucket/*"})")),
      AccessKind::kRead));
}

TEST_F(S3PolicyTest, FixedConditionValuesMakeItNonPublic) {
  auto with = [&](std::string_view condition) {
    return Public(
        R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*","Condition":)" +
        std::string(condition) + "}");
  };
  EXPECT_FALSE(with(R"({"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}})"));
  EXPECT_FALSE(with(R"({"StringEquals":{"aws:SourceVpc":["vpc-111","vpc-222"]}})"));
  EXPECT_FALSE(with(R"({"StringEquals":{"aws:SourceAccount":"111122223333"}})"));
  EXPECT_FALSE(with(R"({"StringEquals":{"aws:SourceOwner":"111122223333"}})"));
  EXPECT_FALSE(with(
      R"({"ArnEquals":{"aws:SourceArn":"arn:aws:cloudfront::111122223333:distribution/E1"}})"));
  EXPECT_FALSE(
      with(R"({"ArnLike":{"aws:SourceArn":"arn:aws:cloudfront::111122223333:distribution/E1"}})"));
  EXPECT_FALSE(with(R"({"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}})"));
  EXPECT_FALSE(with(R"({"StringEquals":{"AWS:PRINCIPALORGID":"o-abc123"}})"));
  EXPECT_FALSE(with(R"({"stringequals":{"aws:PrincipalAccount":"111122223333"}})"));
  EXPECT_FALSE(with(R"({"StringLike":{"aws:userid":"AROAEXAMPLEID:alice"}})"));
  EXPECT_FALSE(with(
      R"({"StringEquals":{"s3:x-amz-server-side-encryption-aws-kms-key-id":"arn:aws:kms:us-east-1:111122223333:key/k"}})"));
  EXPECT_FALSE(with(R"({"ForAnyValue:StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}})"));
  EXPECT_FALSE(with(R"({"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}})"));
  EXPECT_FALSE(with(R"({"IpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.7"]}})"));
  // One pinning clause is enough: conditions are ANDed.
  EXPECT_FALSE(with(
      R"({"Bool":{"aws:SecureTransport":"true"},"StringEquals":{"aws:SourceVpce":"vpce-1"}})"));
}

TEST_F(S3PolicyTest, WildcardsVariablesAndWeakOperatorsStayPublic) {
  auto with = [&](std::string_view condition) {
    return Public(
        R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*","Condition":)" +
        std::string(condition) + "}");
  };
  EXPECT_TRUE(with(R"({"StringLike":{"aws:SourceVpc":"vpc-*"}})"));
  EXPECT_TRUE(with(R"({"StringEquals":{"aws:SourceVpce":["vpce-1","vpce-?"]}})"));
  EXPECT_TRUE(with(R"({"StringEquals":{"aws:PrincipalOrgID":"${aws:PrincipalTag/org}"}})"));
  EXPECT_TRUE(with(R"({"StringLike":{"aws:userid":"AROAEXAMPLEID:*"}})"));
  EXPECT_TRUE(with(R"({"StringNotEquals":{"aws:SourceVpce":"vpce-1"}})"));
  EXPECT_TRUE(with(R"({"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}})"));
  EXPECT_TRUE(with(R"({"ForAllValues:StringEquals":{"aws:SourceVpce":"vpce-1"}})"));
  EXPECT_TRUE(with(R"({"StringEquals":{"aws:SourceVpce":[]}})"));
  EXPECT_TRUE(with(R"({"StringEquals":{"s3:prefix":"home/"}})"));
  EXPECT_TRUE(with(R"({"Null":{"aws:SourceVpce":"false"}})"));
  EXPECT_TRUE(with(R"({"Bool":{"aws:SecureTransport":"true"}})"));
  EXPECT_TRUE(with(R"({"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}})"));
  EXPECT_TRUE(with(R"({"IpAddress":{"aws:SourceIp":["10.0.0.0/8","::/0"]}})"));
  EXPECT_TRUE(with(R"({"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}})"));
  EXPECT_TRUE(with(R"({"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}})"));
}

TEST_F(S3PolicyTest, UnconditionalDenyForEveryoneTakesAccessBack) {
  const std::string allow =
      R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*"})";
  EXPECT_FALSE(Public(
      allow +
      R"(,{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::my-bucket/*"})"));
  EXPECT_FALSE(
      Public(allow + R"(,{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"*","Resource":"*"})"));
  EXPECT_FALSE(Public(
      allow +
      R"(,{"Effect":"Deny","Principal":"*","NotAction":"s3:PutObject","Resource":"arn:aws:s3:::my-bucket/*"})"));
  // Not everyone, not all of the resources, not the action, or only under a condition.
  EXPECT_TRUE(Public(
      allow +
      R"(,{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*","Resource":"*"})"));
  EXPECT_TRUE(Public(
      allow +
      R"(,{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::my-bucket/private/*"})"));
  EXPECT_TRUE(Public(
      allow + R"(,{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"*"})"));
  EXPECT_TRUE(Public(
      allow +
      R"(,{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}})"));
  EXPECT_TRUE(Public(
      allow +
      R"(,{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*","Resource":"*"})"));
  // A Deny covering exactly the Allow's narrower resources.
  EXPECT_FALSE(Public(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/public/*"},
                         {"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/public/*"})"));
  // One action denied, another still granted.
  EXPECT_TRUE(Public(
      R"({"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::my-bucket","arn:aws:s3:::my-bucket/*"]},
                        {"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*"})"));
}

TEST_F(S3PolicyTest, GrantDescribesWhatAndWho) {
  auto grant = FindPublicPolicyGrant(
      j_(Policy(
          R"({"Sid":"Pub","Effect":"Allow","Principal":"*","Action":"s3:Get*","Resource":"arn:aws:s3:::my-bucket/*"})")),
      AccessKind::kRead, kBucket);
  ASSERT_TRUE(grant.has_value());
  EXPECT_EQ(grant->Describe(),
            R"(bucket policy grants s3:GetObject to Principal "*" (statement "Pub"))");
  grant = FindPublicPolicyGrant(
      j_(Policy(
          R"({"Effect":"Allow","Principal":"arn:aws:iam::111122223333:root","Action":"s3:GetObject","Resource":"*"},
                  {"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::my-bucket"})")),
      AccessKind::kRead, kBucket);
  ASSERT_TRUE(grant.has_value());
  EXPECT_EQ(grant->Describe(),
            R"(bucket policy grants s3:ListBucket to Principal {"AWS":"*"} (statement 2))");
}

TEST(S3IsPublicCidr, Threshold) {
  EXPECT_TRUE(IsPublicCidr("0.0.0.0/0"));
  EXPECT_TRUE(IsPublicCidr("0.0.0.0/1"));
  EXPECT_TRUE(IsPublicCidr("10.0.0.0/7"));
  EXPECT_FALSE(IsPublicCidr("10.0.0.0/8"));
  EXPECT_FALSE(IsPublicCidr("203.0.113.0/24"));
  EXPECT_FALSE(IsPublicCidr("203.0.113.7"));
  EXPECT_FALSE(IsPublicCidr(" 192.168.0.0/16 "));
  EXPECT_TRUE(IsPublicCidr("::/0"));
  EXPECT_TRUE(IsPublicCidr("2001:db8::/16"));
  EXPECT_FALSE(IsPublicCidr("2001:db8::/32"));
  EXPECT_FALSE(IsPublicCidr("2001:db8::1"));
  EXPECT_TRUE(IsPublicCidr("not-an-ip"));
  EXPECT_TRUE(IsPublicCidr("10.0.0.0/33"));
  EXPECT_TRUE(IsPublicCidr("10.0.0/8"));
  EXPECT_TRUE(IsPublicCidr("256.0.0.0/8"));
  EXPECT_TRUE(IsPublicCidr("10.0.0.0/"));
}

TEST(S3Acl, PublicGroupsAndPermissions) {
  Json j;
  auto acl = [&](std::string_view grantee, std::string_view permission) {
    return j(R"({"grantSet":null,"grantList":[{"grantee":)" + std::string(grantee) +
             R"(,"permission":")" + std::string(permission) + R"("}]})");
  };
  EXPECT_TRUE(AclAllowsPublic(acl(R"("AllUsers")", "Read"), AccessKind::kRead));
  EXPECT_TRUE(AclAllowsPublic(acl(R"("AuthenticatedUsers")", "FullControl"), AccessKind::kRead));
  EXPECT_TRUE(AclAllowsPublic(acl(R"("AuthenticatedUsers")", "FullControl"), AccessKind::kWrite));
  EXPECT_TRUE(AclAllowsPublic(acl(R"("http://acs.amazonaws.com/groups/global/AllUsers")", "READ"),
                              AccessKind::kRead));
  EXPECT_TRUE(AclAllowsPublic(
      acl(R"({"identifier":"http://acs.amazonaws.com/groups/global/AllUsers","typeIdentifier":"uri"})",
          "Write"),
      AccessKind::kWrite));
  EXPECT_TRUE(AclAllowsPublic(acl(R"("AllUsers")", "WRITE_ACP"), AccessKind::kWrite));
  EXPECT_TRUE(AclAllowsPublic(acl(R"("AllUsers")", "WriteAcp"), AccessKind::kWrite));
  EXPECT_FALSE(AclAllowsPublic(acl(R"("AllUsers")", "Write"), AccessKind::kRead));
  EXPECT_FALSE(AclAllowsPublic(acl(R"("AllUsers")", "ReadAcp"), AccessKind::kRead));
  EXPECT_FALSE(AclAllowsPublic(acl(R"("AllUsers")", "Read"), AccessKind::kWrite));
  EXPECT_FALSE(AclAllowsPublic(acl(R"("LogDelivery")", "Write"), AccessKind::kWrite));
  EXPECT_FALSE(AclAllowsPublic(
      acl(R"({"id":"8ac813c84b8ad4d9","displayName":null})", "FullControl"), AccessKind::kRead));
  EXPECT_FALSE(AclAllowsPublic(
      acl(R"({"identifier":"a@example.com","typeIdentifier":"emailAddress"})", "FullControl"),
      AccessKind::kRead));
}

TEST(S3Acl, FormsAwsConfigRecords) {
  Json j;
  // grantSet instead of grantList.
  EXPECT_TRUE(AclAllowsPublic(
      j(R"({"grantSet":[{"grantee":"AllUsers","permission":"Read"}],"grantList":null})"),
      AccessKind::kRead));
  // The whole ACL as JSON text (as supplementaryConfiguration stores it).
  EXPECT_TRUE(AclAllowsPublic(
      j(R"("{\"grantList\":[{\"grantee\":\"AllUsers\",\"permission\":\"Read\"}]}")"),
      AccessKind::kRead));
  // The S3 API's spelling.
  EXPECT_TRUE(AclAllowsPublic(
      j(R"({"Grants":[{"Grantee":{"Type":"Group","URI":"http://acs.amazonaws.com/groups/global/AuthenticatedUsers"},"Permission":"READ"}]})"),
      AccessKind::kRead));
  EXPECT_FALSE(AclAllowsPublic(j(R"({"grantSet":null,"grantList":[]})"), AccessKind::kRead));
  EXPECT_FALSE(AclAllowsPublic(json::Value(), AccessKind::kRead));
  auto grant =
      FindPublicAclGrant(j(R"({"grantList":[{"grantee":"AllUsers","permission":"FullControl"}]})"),
                         AccessKind::kWrite);
  ASSERT_TRUE(grant.has_value());
  EXPECT_EQ(grant->Describe(), "bucket ACL grants FullControl to AllUsers");
}

TEST(S3BlockPublicAccessTest, ParsesBothSpellings) {
  Json j;
  auto a = ParseBlockPublicAccess(j(
      R"({"blockPublicAcls":true,"ignorePublicAcls":false,"blockPublicPolicy":true,"restrictPublicBuckets":false})"));
  ASSERT_TRUE(a.has_value());
  EXPECT_TRUE(a->block_public_acls);
  EXPECT_FALSE(a->ignore_public_acls);
  EXPECT_TRUE(a->block_public_policy);
  EXPECT_FALSE(a->restrict_public_buckets);
  auto b = ParseBlockPublicAccess(j(
      R"({"PublicAccessBlockConfiguration":{"IgnorePublicAcls":true,"RestrictPublicBuckets":"true"}})"));
  ASSERT_TRUE(b.has_value());
  EXPECT_FALSE(b->block_public_acls);
  EXPECT_TRUE(b->ignore_public_acls);
  EXPECT_TRUE(b->restrict_public_buckets);
  EXPECT_FALSE(ParseBlockPublicAccess(j("null")).has_value());
}

TEST_F(S3PolicyTest, DeniesInsecureTransport) {
  auto denies = [&](std::string_view statements) {
    return PolicyDeniesInsecureTransport(j_(Policy(statements)), kBucket);
  };
  EXPECT_TRUE(denies(
      R"({"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::my-bucket","arn:aws:s3:::my-bucket/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}})"));
  EXPECT_TRUE(denies(
      R"({"Effect":"Deny","Principal":{"AWS":"*"},"Action":"*","Resource":"arn:aws:s3:::my-bucket/*","Condition":{"Bool":{"aws:SecureTransport":false}}})"));
  EXPECT_TRUE(denies(
      R"({"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::my-bucket","Condition":{"BoolIfExists":{"aws:securetransport":["false"]}}})"));
  EXPECT_TRUE(denies(
      R"({"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"FALSE"}}})"));
  EXPECT_FALSE(denies(
      R"({"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}})"));
  EXPECT_FALSE(denies(
      R"({"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::my-bucket/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}})"));
  EXPECT_FALSE(denies(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::my-bucket/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}})"));
  EXPECT_FALSE(denies(
      R"({"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}})"));
  EXPECT_FALSE(denies(
      R"({"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::other/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}})"));
  EXPECT_FALSE(denies(
      R"({"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}})"));
  EXPECT_FALSE(denies(R"({"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"})"));
  EXPECT_FALSE(PolicyDeniesInsecureTransport(json::Value(), kBucket));
}

TEST_F(S3PolicyTest, RequiresEncryptedPuts) {
  auto requires_sse = [&](std::string_view statements) {
    return PolicyRequiresEncryptedPuts(j_(Policy(statements)), kBucket);
  };
  EXPECT_TRUE(requires_sse(
      R"({"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::my-bucket/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}}})"));
  EXPECT_TRUE(requires_sse(
      R"({"Effect":"Deny","Principal":"*","Action":"s3:Put*","Resource":"arn:aws:s3:::my-bucket/*","Condition":{"Null":{"s3:x-amz-server-side-encryption":true}}})"));
  EXPECT_TRUE(requires_sse(
      R"({"Effect":"Deny","Principal":{"AWS":"*"},"Action":"*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"s3:x-amz-server-side-encryption":["aws:kms","aws:kms:dsse"]}}})"));
  EXPECT_FALSE(requires_sse(
      R"({"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::my-bucket/logs/*","Condition":{"Null":{"s3:x-amz-server-side-encryption":"true"}}})"));
  EXPECT_FALSE(requires_sse(
      R"({"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*","Condition":{"Null":{"s3:x-amz-server-side-encryption":"true"}}})"));
  EXPECT_FALSE(requires_sse(
      R"({"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::my-bucket/*","Condition":{"Null":{"s3:x-amz-server-side-encryption":"false"}}})"));
  EXPECT_FALSE(requires_sse(
      R"({"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::my-bucket/*","Condition":{"StringEquals":{"s3:x-amz-server-side-encryption":"AES256"}}})"));
  EXPECT_FALSE(requires_sse(
      R"({"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::my-bucket/*","Condition":{"StringEquals":{"s3:x-amz-server-side-encryption":"AES256"}}})"));
}

TEST_F(S3PolicyTest, CountsPolicyVariables) {
  EXPECT_EQ(MaxPolicyVariablesInOneValue(json::Value()), 0);
  EXPECT_EQ(
      MaxPolicyVariablesInOneValue(j_(Policy(
          R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/${aws:username}/${aws:userid}/*"})"))),
      2);
  EXPECT_EQ(
      MaxPolicyVariablesInOneValue(
          j_(R"({"policyText":"{\"Statement\":[{\"Resource\":[\"${a}\",\"${b}${c}${d}\"]}]}"})")),
      3);
}

// ---- The whole public-access evaluation ----------------------------------------------------

class FakeS3Env : public Environment {
 public:
  EpochMillis Now() const override { return 0; }
  const std::any& Memo(const std::string&, const std::function<std::any()>& build) const override {
    memo = build();
    return memo;
  }
  mutable std::any memo;
  json::Value Fact(std::string_view name, std::string_view, std::string_view) const override {
    return name == "s3control-get-public-access-block" ? fact : json::Value();
  }
  std::vector<const model::ConfigurationItem*> Items(std::string_view type,
                                                     std::string_view account,
                                                     std::string_view region,
                                                     bool* known) const override {
    EXPECT_EQ(type, "AWS::S3::AccountPublicAccessBlock");
    regions_asked.emplace_back(region);
    std::vector<const model::ConfigurationItem*> out;
    for (const auto& ci : items)
      if (ci.account_id == account) out.push_back(&ci);
    if (known) *known = items_known;
    return out;
  }
  json::Value fact;
  std::vector<model::ConfigurationItem> items;
  bool items_known = false;
  mutable std::vector<std::string> regions_asked;
};

class S3EvaluatePublicAccessTest : public testing::Test {
 protected:
  model::ConfigurationItem Item(std::string_view type, std::string_view extra) {
    const std::string text =
        R"({"resourceType":")" + std::string(type) +
        R"(","resourceId":"my-bucket","awsAccountId":"123456789012","awsRegion":"us-east-1","configurationItemStatus":"OK","configurationItemCaptureTime":"2026-01-01T00:00:00.000Z")" +
        std::string(extra) + "}";
    auto ci = model::ParseItem(j_(text), arena_);
    EXPECT_TRUE(ci.ok()) << ci.status().message();
    return ci.ok() ? *ci : model::ConfigurationItem{};
  }
  model::ConfigurationItem PublicBucket(std::string_view bpa = "") {
    std::string supp =
        R"(,"configuration":{"name":"my-bucket"},"supplementaryConfiguration":{"BucketPolicy":{"policyText":"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::my-bucket/*\"}]}"})";
    if (!bpa.empty()) supp += R"(,"PublicAccessBlockConfiguration":)" + std::string(bpa);
    return Item("AWS::S3::Bucket", supp + "}");
  }
  Verdict Run(const model::ConfigurationItem& bucket, AccessKind kind = AccessKind::kRead) {
    const ManagedRule* rule = FindRule("S3_BUCKET_PUBLIC_READ_PROHIBITED");
    EXPECT_NE(rule, nullptr);
    const RuleContext ctx(*rule, {}, env_);
    return EvaluatePublicAccess(ctx, bucket, kind);
  }
  Json j_;
  model::ItemArena arena_;
  FakeS3Env env_;
};

TEST_F(S3EvaluatePublicAccessTest, MissingFactOnlyWhenTheBucketIsPublicByItself) {
  Verdict v = Run(PublicBucket());
  EXPECT_EQ(v.kind, Verdict::Kind::kMissingFact);
  EXPECT_EQ(v.missing, "s3control-get-public-access-block");
  // Account-level settings are asked for in every region first, then beside the bucket.
  ASSERT_EQ(env_.regions_asked.size(), 2u);
  EXPECT_EQ(env_.regions_asked[0], "");
  EXPECT_EQ(env_.regions_asked[1], "us-east-1");
  v = Run(PublicBucket(), AccessKind::kWrite);
  EXPECT_EQ(v.kind, Verdict::Kind::kDecided);
  EXPECT_EQ(v.compliance, Compliance::kCompliant);
  v = Run(PublicBucket(R"({"restrictPublicBuckets":true})"));
  EXPECT_EQ(v.kind, Verdict::Kind::kDecided);
  EXPECT_EQ(v.compliance, Compliance::kCompliant);
}

TEST_F(S3EvaluatePublicAccessTest, KnownButAbsentAccountSettingsDoNotBlock) {
  env_.items_known = true;
  const Verdict v = Run(PublicBucket());
  EXPECT_EQ(v.kind, Verdict::Kind::kDecided);
  EXPECT_EQ(v.compliance, Compliance::kNonCompliant);
  EXPECT_NE(v.annotation.find("s3:GetObject"), std::string::npos) << v.annotation;
}

TEST_F(S3EvaluatePublicAccessTest, AccountItemAndFact) {
  env_.items_known = true;
  env_.items.push_back(Item(
      "AWS::S3::AccountPublicAccessBlock",
      R"(,"configuration":{"blockPublicAcls":true,"ignorePublicAcls":true,"blockPublicPolicy":true,"restrictPublicBuckets":true})"));
  EXPECT_EQ(Run(PublicBucket()).compliance, Compliance::kCompliant);

  env_.items.clear();
  env_.items_known = false;
  env_.fact = j_(
      R"({"PublicAccessBlockConfiguration":{"BlockPublicAcls":true,"IgnorePublicAcls":true,"BlockPublicPolicy":true,"RestrictPublicBuckets":false}})");
  Verdict v = Run(PublicBucket());
  EXPECT_EQ(v.kind, Verdict::Kind::kDecided);
  EXPECT_EQ(v.compliance, Compliance::kNonCompliant);
  env_.fact = j_(R"({"PublicAccessBlockConfiguration":{"RestrictPublicBuckets":true}})");
  EXPECT_EQ(Run(PublicBucket()).compliance, Compliance::kCompliant);
}

TEST_F(S3EvaluatePublicAccessTest, BucketNameFallsBack) {
  EXPECT_EQ(BucketName(Item("AWS::S3::Bucket",
                            R"(,"configuration":{"name":"cfg-name"},"resourceName":"rn")")),
            "cfg-name");
  EXPECT_EQ(BucketName(Item("AWS::S3::Bucket", R"(,"configuration":{},"resourceName":"rn")")),
            "rn");
}

}  // namespace
}  // namespace vigil::rules::s3
