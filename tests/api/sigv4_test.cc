// SigV4: AWS's documented example (IAM ListUsers, the signing-key and signature values AWS's
// "Signature Version 4 signing process" pages give), the same request signed by botocore at
// test time, and verification failures with AWS's error types.
#include "aws/sigv4.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "../test_util.h"

namespace vigil::aws {
namespace {

const Credentials kExample{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"};
const EpochMillis kExampleTime = *ParseAmzDate("20150830T123600Z");

HttpRequest IamListUsers() {
  HttpRequest r;
  r.method = "GET";
  r.path = "/";
  r.query = "Action=ListUsers&Version=2010-05-08";
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
               {"Host", "iam.amazonaws.com"}};
  return r;
}

TEST(SigV4, SigningKeyMatchesAwsExample) {
  EXPECT_EQ(HexEncode(SigningKey(kExample.secret_access_key, "20150830", "us-east-1", "iam")),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
}

TEST(SigV4, CanonicalRequestAndStringToSignMatchAwsExample) {
  HttpRequest r = IamListUsers();
  r.headers.push_back({"X-Amz-Date", "20150830T123600Z"});
  const std::string canonical =
      CanonicalRequest(r, {"content-type", "host", "x-amz-date"}, Sha256Hex(""));
  EXPECT_EQ(canonical,
            "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
            "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
            "host:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "content-type;host;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex(canonical),
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
  EXPECT_EQ(StringToSign("20150830T123600Z", "20150830/us-east-1/iam/aws4_request", canonical),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
}

TEST(SigV4, SignMatchesAwsExample) {
  HttpRequest r = IamListUsers();
  Sign(r, kExample, "us-east-1", "iam", kExampleTime);
  EXPECT_EQ(*r.FindHeader("X-Amz-Date"), "20150830T123600Z");
  EXPECT_EQ(*r.FindHeader("Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

// botocore signs an AWS Config call at a fixed time; vigil must produce the same header and
// accept botocore's signature.
TEST(SigV4, AgreesWithBotocore) {
  const std::string script = R"PY(
import datetime, botocore.auth as ba
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
class T(datetime.datetime):
    @classmethod
    def utcnow(cls): return datetime.datetime(2026, 2, 23, 10, 15, 30)
    @classmethod
    def now(cls, tz=None): return datetime.datetime(2026, 2, 23, 10, 15, 30, tzinfo=tz)
ba.datetime.datetime = T
r = AWSRequest(method='POST', url='http://127.0.0.1:4580/', data=b'{"ConfigRuleNames": ["a b"]}',
               headers={'Content-Type': 'application/x-amz-json-1.1',
                        'X-Amz-Target': 'StarlingDoveService.DescribeConfigRules'})
ba.SigV4Auth(Credentials('AKIDVIGIL', 'secret/+key'), 'config', 'eu-west-3').add_auth(r)
print(r.headers['Authorization'])
)PY";
  const std::string path = ::testing::TempDir() + "/vigil_sigv4_botocore.py";
  std::ofstream(path) << script;
  const testing_util::Output out = testing_util::Sh("python3 " + path + " 2>/dev/null");
  if (out.status != 0) GTEST_SKIP() << "python3 with botocore is not available";
  const std::string botocore_header = out.out.substr(0, out.out.find('\n'));

  HttpRequest r;
  r.method = "POST";
  r.path = "/";
  r.body = R"({"ConfigRuleNames": ["a b"]})";
  r.headers = {{"Content-Type", "application/x-amz-json-1.1"},
               {"X-Amz-Target", "StarlingDoveService.DescribeConfigRules"},
               {"Host", "127.0.0.1:4580"}};
  const EpochMillis t = *ParseAmzDate("20260223T101530Z");
  HttpRequest ours = r;
  Sign(ours, {"AKIDVIGIL", "secret/+key"}, "eu-west-3", "config", t);
  EXPECT_EQ(*ours.FindHeader("Authorization"), botocore_header);

  r.headers.push_back({"X-Amz-Date", "20260223T101530Z"});
  r.headers.push_back({"Authorization", botocore_header});
  const VerifyResult v = Verify(
      r, "config",
      [](std::string_view key) -> std::optional<std::string> {
        if (key == "AKIDVIGIL") return "secret/+key";
        return std::nullopt;
      },
      t + 60'000);
  ASSERT_TRUE(v.identity) << v.error.code << ": " << v.error.message;
  EXPECT_EQ(v.identity->access_key_id, "AKIDVIGIL");
  EXPECT_EQ(v.identity->region, "eu-west-3");
}

class VerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    request_.method = "POST";
    request_.path = "/";
    request_.body = "{}";
    request_.headers = {{"Host", "localhost:4580"},
                        {"X-Amz-Target", "StarlingDoveService.DescribeConfigRules"},
                        {"Content-Type", "application/x-amz-json-1.1"}};
    Sign(request_, {"AKID", "secret"}, "us-east-1", "config", now_);
  }
  VerifyResult Run(EpochMillis now) const {
    return Verify(
        request_, "config",
        [](std::string_view key) -> std::optional<std::string> {
          if (key == "AKID") return "secret";
          return std::nullopt;
        },
        now);
  }
  void SetHeader(std::string_view name, std::string value) {
    for (Header& h : request_.headers) {
      if (h.name == name) h.value = std::move(value);
    }
  }
  HttpRequest request_;
  EpochMillis now_ = *ParseAmzDate("20260223T101530Z");
};

TEST_F(VerifyTest, AcceptsAValidSignature) {
  const VerifyResult v = Run(now_);
  ASSERT_TRUE(v.identity) << v.error.message;
  EXPECT_EQ(v.identity->region, "us-east-1");
}

TEST_F(VerifyTest, TamperedBodyIsAnInvalidSignature) {
  request_.body = R"({"ConfigRuleNames":["x"]})";
  const VerifyResult v = Run(now_);
  EXPECT_FALSE(v.identity);
  EXPECT_EQ(v.error.code, "InvalidSignatureException");
  EXPECT_NE(v.error.message.find("The request signature we calculated does not match"),
            std::string::npos);
}

TEST_F(VerifyTest, TamperedSignedHeaderIsAnInvalidSignature) {
  SetHeader("X-Amz-Target", "StarlingDoveService.DeleteConfigRule");
  EXPECT_EQ(Run(now_).error.code, "InvalidSignatureException");
}

TEST_F(VerifyTest, ClockSkewOfMoreThanFifteenMinutes) {
  EXPECT_TRUE(Run(now_ + 14 * 60'000).identity);
  EXPECT_TRUE(Run(now_ - 14 * 60'000).identity);
  const VerifyResult late = Run(now_ + 16 * 60'000);
  EXPECT_EQ(late.error.code, "InvalidSignatureException");
  EXPECT_EQ(late.error.message,
            "Signature expired: 20260223T101530Z is now earlier than 20260223T101630Z "
            "(20260223T103130Z - 15 min.)");
  const VerifyResult early = Run(now_ - 16 * 60'000);
  EXPECT_EQ(early.error.code, "InvalidSignatureException");
  EXPECT_EQ(early.error.message.rfind("Signature not yet current: 20260223T101530Z", 0), 0u);
}

TEST_F(VerifyTest, UnknownKeyIsUnrecognizedClient) {
  Sign(request_, {"OTHER", "secret"}, "us-east-1", "config", now_);
  const VerifyResult v = Run(now_);
  EXPECT_EQ(v.error.code, "UnrecognizedClientException");
  EXPECT_EQ(v.error.message, "The security token included in the request is invalid.");
}

TEST_F(VerifyTest, MissingOrGarbledAuthorization) {
  std::erase_if(request_.headers, [](const Header& h) { return h.name == "Authorization"; });
  EXPECT_EQ(Run(now_).error.code, "MissingAuthenticationTokenException");
  request_.headers.push_back({"Authorization", "AWS4-HMAC-SHA256 Credential=AKID/x"});
  const VerifyResult v = Run(now_);
  EXPECT_EQ(v.error.code, "IncompleteSignatureException");
  EXPECT_NE(v.error.message.find("Authorization header requires 'Signature' parameter."),
            std::string::npos);
  SetHeader("Authorization", "Basic dXNlcjpwYXNz");
  EXPECT_EQ(Run(now_).error.code, "IncompleteSignatureException");
}

TEST_F(VerifyTest, ScopeMustNameTheServiceAndTheRequestDate) {
  Sign(request_, {"AKID", "secret"}, "us-east-1", "s3", now_);
  EXPECT_EQ(Run(now_).error.message, "Credential should be scoped to correct service: 'config'. ");
  Sign(request_, {"AKID", "secret"}, "us-east-1", "config", now_);
  SetHeader("X-Amz-Date", "20260224T101530Z");
  EXPECT_EQ(Run(now_).error.code, "InvalidSignatureException");
}

TEST_F(VerifyTest, HostMustBeSigned) {
  std::string auth = *request_.FindHeader("Authorization");
  auth.replace(auth.find("host;"), 5, "");
  SetHeader("Authorization", auth);
  EXPECT_EQ(Run(now_).error.code, "IncompleteSignatureException");
}

TEST(SigV4, AmzDateRoundTrips) {
  EXPECT_EQ(FormatAmzDate(*ParseAmzDate("20261127T235959Z")), "20261127T235959Z");
  EXPECT_FALSE(ParseAmzDate("2026-11-27T23:59:59Z"));
  EXPECT_FALSE(ParseAmzDate("20261327T000000Z"));
}

}  // namespace
}  // namespace vigil::aws
