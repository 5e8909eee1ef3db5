// scripts/collect-facts against moto's server as the AWS endpoint, then vigil over what it
// collected: the facts are the real AWS CLI's output, keyed facts are keyed by what their source
// fact lists, and the rules that read them judge the account as AWS would. Skipped when moto or
// the AWS CLI is not installed.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

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

class CollectFacts : public testing::Test {
 protected:
  void SetUp() override {
    if (Sh("command -v moto_server >/dev/null && command -v aws >/dev/null").status != 0)
      GTEST_SKIP() << "moto_server or the aws CLI is not installed";
    std::random_device rd;
    port_ = 20000 + static_cast<int>(rd() % 20000);
    dir_ = fs::temp_directory_path() / ("vigil-collect-" + std::to_string(port_));
    fs::create_directories(dir_);
    Sh("moto_server -p " + std::to_string(port_) + " >" + (dir_ / "moto.log").string() +
       " 2>&1 & echo $! >" + (dir_ / "moto.pid").string());
    endpoint_ = "http://127.0.0.1:" + std::to_string(port_);
    for (int i = 0; i < 100; ++i) {
      if (Sh("curl -s -o /dev/null " + endpoint_ + "/moto-api/ 2>/dev/null").status == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  void TearDown() override {
    if (!dir_.empty()) {
      Sh("kill $(cat " + (dir_ / "moto.pid").string() + ") 2>/dev/null");
      fs::remove_all(dir_);
    }
  }
  // `aws` against moto, with throwaway credentials.
  Output Aws(const std::string& args) {
    return Sh(
        "AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 "
        "AWS_PAGER= aws --endpoint-url " +
        endpoint_ + " --output json " + args + " 2>&1");
  }
  Output Collect(const std::string& only) {
    return Sh(
        "AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 " +
        kSource + "/scripts/collect-facts --vigil " + kVigil + " --endpoint-url " + endpoint_ +
        " --regions us-east-1 --out " + (dir_ / "facts").string() + " --only " + only + " 2>&1");
  }
  json::Document Fact(const std::string& name) {
    auto doc = json::Document::Parse(
        ReadFile((dir_ / "facts" / "123456789012" / "us-east-1" / (name + ".json")).string()));
    EXPECT_TRUE(doc.ok()) << name;
    if (doc.ok()) return std::move(doc).value();
    return std::move(json::Document::Parse("{}")).value();
  }
  // The compliance of `rule_id` for the account, evaluating only the collected facts.
  std::string AccountVerdict(const std::string& rule_id) {
    const fs::path rules = dir_ / "rules.json";
    std::ofstream(rules) << R"({"ConfigRuleName":"r","Source":{"Owner":"AWS","SourceIdentifier":")"
                         << rule_id << "\"}}";
    Output o = Sh(kVigil + " evaluate -q --format json --rules " + rules.string() + " " +
                  (dir_ / "facts").string());
    auto doc = json::Document::Parse(o.out);
    if (!doc.ok()) return "unreadable: " + o.out;
    for (const json::Value e : doc->Root().Get("EvaluationResults").Elements())
      return std::string(e.Get("ComplianceType").String().value_or(""));
    return "none";
  }

  int port_ = 0;
  fs::path dir_;
  std::string endpoint_;
};

TEST_F(CollectFacts, TrailStatusIsKeyedByTrailArnAndDecidesTheRule) {
  ASSERT_EQ(Aws("s3api create-bucket --bucket trail-logs-bucket").status, 0);
  auto trail =
      Aws("cloudtrail create-trail --name org-trail --s3-bucket-name trail-logs-bucket "
          "--is-multi-region-trail");
  ASSERT_EQ(trail.status, 0) << trail.out;
  Output c = Collect("cloudtrail-get-trail-status,cloudtrail-get-event-selectors");
  ASSERT_EQ(c.status, 0) << c.out;

  json::Document trails = Fact("cloudtrail-describe-trails");
  ASSERT_EQ(trails.Root().Get("trailList").Size(), 1u);
  const std::string arn(trails.Root().Get("trailList").At(0).Get("TrailARN").String().value_or(""));
  ASSERT_FALSE(arn.empty());
  json::Document status = Fact("cloudtrail-get-trail-status");
  ASSERT_TRUE(status.Root().Get(arn).IsObject()) << "status not keyed by " << arn;
  EXPECT_EQ(status.Root().Get(arn).Get("IsLogging").Bool(), false);
  EXPECT_EQ(AccountVerdict("MULTI_REGION_CLOUD_TRAIL_ENABLED"), "NON_COMPLIANT");

  ASSERT_EQ(Aws("cloudtrail start-logging --name org-trail").status, 0);
  c = Collect("cloudtrail-get-trail-status,cloudtrail-get-event-selectors");
  ASSERT_EQ(c.status, 0) << c.out;
  EXPECT_EQ(Fact("cloudtrail-get-trail-status").Root().Get(arn).Get("IsLogging").Bool(), true);
  EXPECT_EQ(AccountVerdict("MULTI_REGION_CLOUD_TRAIL_ENABLED"), "COMPLIANT");
}

TEST_F(CollectFacts, IamFactsAreTheCliOutputAndAnswerErrorsAreRecorded) {
  ASSERT_EQ(Aws("iam create-user --user-name alice").status, 0);
  Output c = Collect(
      "iam-get-account-summary,iam-get-account-password-policy,ec2-get-ebs-encryption-by-default");
  ASSERT_EQ(c.status, 0) << c.out;
  json::Document summary = Fact("iam-get-account-summary");
  EXPECT_TRUE(summary.Root().Get("SummaryMap").IsObject());
  // No password policy: IAM answers NoSuchEntity, which is data (the default policy applies).
  json::Document policy = Fact("iam-get-account-password-policy");
  EXPECT_EQ(policy.Root().Get("Error").Get("Code").String(), "NoSuchEntity");
  EXPECT_EQ(AccountVerdict("IAM_PASSWORD_POLICY"), "NON_COMPLIANT");

  EXPECT_EQ(AccountVerdict("EC2_EBS_ENCRYPTION_BY_DEFAULT"), "NON_COMPLIANT");
  ASSERT_EQ(Aws("ec2 enable-ebs-encryption-by-default").status, 0);
  c = Collect("ec2-get-ebs-encryption-by-default");
  ASSERT_EQ(c.status, 0) << c.out;
  EXPECT_EQ(Fact("ec2-get-ebs-encryption-by-default").Root().Get("EbsEncryptionByDefault").Bool(),
            true);
  EXPECT_EQ(AccountVerdict("EC2_EBS_ENCRYPTION_BY_DEFAULT"), "COMPLIANT");
}

TEST_F(CollectFacts, UnknownFactIsAUsageError) {
  Output c = Collect("no-such-fact");
  EXPECT_EQ(c.status, 2);
  EXPECT_NE(c.out.find("no-such-fact"), std::string::npos);
}

}  // namespace
}  // namespace vigil
