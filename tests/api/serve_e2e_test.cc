// `vigil serve` driven by the real clients: the seed's `aws configservice` commands of steps 1-3
// run verbatim (only --endpoint-url added) with the `aws` CLI, then boto3/botocore cases
// (tests/api/serve_client.py) for signatures, tenancy, protocol errors, slow clients, oversized
// bodies, and a kill -9 under load that must lose no acknowledged write.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "../test_util.h"
#include "json/value.h"
#include "serve_process.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;
using testing_util::Output;
using testing_util::ReadFile;
using testing_util::ServeProcess;
using testing_util::Sh;

const std::string kSource = VIGIL_SOURCE_DIR;
const std::string kClient = kSource + "/tests/api/serve_client.py";

constexpr const char* kCredentials =
    "# ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID\n"
    "AKIDACCOUNTA secretA 111111111111\n"
    "AKIDACCOUNTB secretB 222222222222\n"
    "AKIDSEED     secretS 333333333333  # the seed's commands run as this account\n";

bool HaveClients() {
  return Sh("python3 -c 'import boto3' 2>/dev/null").status == 0 &&
         Sh("aws --version >/dev/null 2>&1").status == 0;
}

fs::path NewDir(const std::string& name) {
  const fs::path dir =
      fs::path(::testing::TempDir()) / ("vigil_serve_" + name + "_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "credentials") << kCredentials;
  return dir;
}

std::string AwsEnv(const std::string& key, const std::string& secret) {
  return "AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null "
         "AWS_DEFAULT_REGION=us-east-1 AWS_ACCESS_KEY_ID=" +
         key + " AWS_SECRET_ACCESS_KEY=" + secret + " ";
}

class ServeE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!HaveClients()) return;
    dir_ = new fs::path(NewDir("suite"));
    server_ = new ServeProcess;
    started_ = server_->Start(*dir_);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    if (dir_ != nullptr) fs::remove_all(*dir_);
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!HaveClients()) GTEST_SKIP() << "python3 with boto3 and the aws CLI are needed";
    ASSERT_TRUE(started_) << "vigil serve did not start: "
                          << ReadFile((*dir_ / "serve.err").string());
  }

  // Runs one case of serve_client.py; its output explains a failure.
  static void Case(const std::string& name) {
    const Output o = Sh("python3 " + kClient + " " + server_->endpoint() + " " + name + " 2>&1");
    EXPECT_EQ(o.status, 0) << o.out;
  }

  json::Document Aws(const std::string& args) {
    const Output o = Sh(AwsEnv("AKIDSEED", "secretS") + "aws --endpoint-url " +
                        server_->endpoint() + " --output json " + args + " 2>&1");
    EXPECT_EQ(o.status, 0) << args << ": " << o.out;
    auto doc = json::Document::Parse(o.out);
    EXPECT_TRUE(doc.ok()) << args << ": " << o.out;
    return doc.ok() ? std::move(*doc) : json::Document();
  }

  static fs::path* dir_;
  static ServeProcess* server_;
  static bool started_;
};

fs::path* ServeE2E::dir_ = nullptr;
ServeProcess* ServeE2E::server_ = nullptr;
bool ServeE2E::started_ = false;

TEST_F(ServeE2E, SeedStepsOneToThreeRunVerbatim) {
  const Output run = Sh(AwsEnv("AKIDSEED", "secretS") + "VIGIL_ENDPOINT=" + server_->endpoint() +
                        " bash " + kSource + "/tests/api/seed_steps_1_3.sh 2>&1");
  ASSERT_EQ(run.status, 0) << run.out;

  json::Document recorders = Aws("configservice describe-configuration-recorders");
  const json::Value rec = recorders.Root().Get("ConfigurationRecorders").At(0);
  EXPECT_EQ(recorders.Root().Get("ConfigurationRecorders").Size(), 1u);
  EXPECT_EQ(rec.Get("name").AsText(), "default");
  EXPECT_EQ(rec.Get("roleARN").AsText(),
            "arn:aws:iam::ACCOUNT:role/aws-service-role/config.amazonaws.com/"
            "AWSServiceRoleForConfig");
  EXPECT_EQ(rec.Get("recordingGroup").Get("allSupported").Bool(), true);
  EXPECT_EQ(rec.Get("recordingGroup").Get("includeGlobalResourceTypes").Bool(), true);

  json::Document status = Aws("configservice describe-configuration-recorder-status");
  EXPECT_EQ(status.Root().Get("ConfigurationRecordersStatus").At(0).Get("recording").Bool(), true);

  json::Document channels = Aws("configservice describe-delivery-channels");
  const json::Value ch = channels.Root().Get("DeliveryChannels").At(0);
  EXPECT_EQ(ch.Get("name").AsText(), "default");
  EXPECT_EQ(ch.Get("s3BucketName").AsText(), "config-compliance-data-ACCOUNT_ID");
  EXPECT_EQ(ch.Get("snsTopicARN").AsText(), "arn:aws:sns:us-east-1:ACCOUNT:config-notifications");
  EXPECT_EQ(ch.Get("configSnapshotDeliveryProperties").Get("deliveryFrequency").AsText(),
            "TwentyFour_Hours");
  json::Document channel_status = Aws("configservice describe-delivery-channel-status");
  EXPECT_EQ(channel_status.Root().Get("DeliveryChannelsStatus").At(0).Get("name").AsText(),
            "default");

  json::Document rules = Aws("configservice describe-config-rules");
  std::set<std::string> names;
  for (const json::Value r : rules.Root().Get("ConfigRules").Elements()) {
    names.insert(r.Get("ConfigRuleName").AsText());
    EXPECT_EQ(r.Get("ConfigRuleState").AsText(), "ACTIVE");
    EXPECT_EQ(
        r.Get("ConfigRuleArn").AsText(),
        "arn:aws:config:us-east-1:333333333333:config-rule/" + r.Get("ConfigRuleId").AsText());
    if (r.Get("ConfigRuleName").AsText() == "iam-password-policy") {
      EXPECT_EQ(r.Get("InputParameters").AsText(),
                R"({"RequireUppercaseCharacters":"true","RequireLowercaseCharacters":"true",)"
                R"("RequireSymbols":"true","RequireNumbers":"true","MinimumPasswordLength":"14"})");
    }
    if (r.Get("ConfigRuleName").AsText() == "ec2-required-tags") {
      EXPECT_EQ(r.Get("Source").Get("Owner").AsText(), "CUSTOM_LAMBDA");
      EXPECT_EQ(r.Get("Scope").Get("ComplianceResourceTypes").At(0).AsText(), "AWS::EC2::Instance");
    }
  }
  EXPECT_EQ(names, (std::set<std::string>{
                       "s3-bucket-public-read-prohibited",
                       "s3-bucket-server-side-encryption-enabled", "s3-bucket-ssl-requests-only",
                       "iam-root-access-key-check", "mfa-enabled-for-iam-console-access",
                       "iam-password-policy", "restricted-ssh", "vpc-flow-logs-enabled",
                       "rds-storage-encrypted", "encrypted-volumes", "ec2-required-tags"}));
  // Running the seed again is idempotent: the same rules, the same ids.
  const Output again = Sh(AwsEnv("AKIDSEED", "secretS") + "VIGIL_ENDPOINT=" + server_->endpoint() +
                          " bash " + kSource + "/tests/api/seed_steps_1_3.sh 2>&1");
  ASSERT_EQ(again.status, 0) << again.out;
  json::Document rules_again = Aws("configservice describe-config-rules");
  EXPECT_EQ(rules_again.Root().Get("ConfigRules").ToJson(),
            rules.Root().Get("ConfigRules").ToJson());
}

TEST_F(ServeE2E, WrongSecretIsInvalidSignature) { Case("wrong_secret"); }
TEST_F(ServeE2E, UnknownKeyIsUnrecognizedClient) { Case("unknown_key"); }
TEST_F(ServeE2E, TamperedBodyIsInvalidSignature) { Case("tampered_body"); }
TEST_F(ServeE2E, ExpiredDateIsInvalidSignature) { Case("expired_date"); }
TEST_F(ServeE2E, MissingAuthorizationIsRefused) { Case("missing_auth"); }
TEST_F(ServeE2E, AccountBCannotSeeAccountARules) { Case("cross_account"); }
TEST_F(ServeE2E, UnknownOperation) { Case("unknown_operation"); }
TEST_F(ServeE2E, MalformedJsonIsSerializationException) { Case("malformed_json"); }
TEST_F(ServeE2E, ValidationErrors) { Case("validation"); }
TEST_F(ServeE2E, Pagination) { Case("pagination"); }
TEST_F(ServeE2E, SlowClientsDoNotBlockOthers) { Case("slow_client"); }
TEST_F(ServeE2E, OversizedBodyIsRefused) { Case("oversized_body"); }

// Evaluations and resources with boto3: test mode, a real result token (signed as docs/serve.md
// specifies, with the secret in --data), every compliance query, resource items and history,
// and account B seeing none of account A's.
TEST_F(ServeE2E, EvaluationsAndComplianceWithBoto3) {
  const Output o = Sh("VIGIL_DATA=" + (*dir_ / "data").string() + " python3 " + kClient + " " +
                      server_->endpoint() + " evaluations 2>&1");
  EXPECT_EQ(o.status, 0) << o.out;
}
TEST_F(ServeE2E, ResourcesWithBoto3) { Case("resources"); }

// The same operations through the `aws` CLI, as a user types them.
TEST_F(ServeE2E, EvaluationsAndResourcesWithTheAwsCli) {
  auto aws = [&](const std::string& key, const std::string& secret, const std::string& args) {
    return Sh(AwsEnv(key, secret) + "aws --endpoint-url " + server_->endpoint() +
              " --output json configservice " + args + " 2>&1");
  };
  auto a = [&](const std::string& args) {
    const Output o = aws("AKIDACCOUNTA", "secretA", args);
    EXPECT_EQ(o.status, 0) << args << ": " << o.out;
    auto doc = json::Document::Parse(o.out.empty() ? "{}" : o.out);
    EXPECT_TRUE(doc.ok()) << args << ": " << o.out;
    return doc.ok() ? std::move(*doc) : json::Document();
  };
  a(R"(put-config-rule --config-rule '{"ConfigRuleName": "cli-manual-control", "Source": {"Owner": "AWS", "SourceIdentifier": "AWS_CONFIG_PROCESS_CHECK"}}')");
  json::Document d = a(
      R"(put-evaluations --result-token TESTMODE --test-mode --evaluations '[{"ComplianceResourceType": "AWS::::Account", "ComplianceResourceId": "111111111111", "ComplianceType": "COMPLIANT", "OrderingTimestamp": "2026-02-23T10:00:00Z"}]')");
  EXPECT_TRUE(d.Root().Get("FailedEvaluations").IsArray());
  EXPECT_EQ(d.Root().Get("FailedEvaluations").Size(), 0u);
  a("put-external-evaluation --config-rule-name cli-manual-control --external-evaluation "
    "ComplianceResourceType=AWS::::Account,ComplianceResourceId=111111111111,"
    "ComplianceType=NON_COMPLIANT,Annotation=no-restore-test,"
    "OrderingTimestamp=2026-02-23T10:00:00Z");
  d = a("describe-compliance-by-config-rule --config-rule-names cli-manual-control");
  EXPECT_EQ(d.Root()
                .Get("ComplianceByConfigRules")
                .At(0)
                .Get("Compliance")
                .Get("ComplianceType")
                .AsText(),
            "NON_COMPLIANT");
  d = a("get-compliance-details-by-config-rule --config-rule-name cli-manual-control");
  ASSERT_EQ(d.Root().Get("EvaluationResults").Size(), 1u);
  EXPECT_EQ(d.Root().Get("EvaluationResults").At(0).Get("Annotation").AsText(), "no-restore-test");
  d =
      a("describe-compliance-by-resource --resource-type AWS::::Account --resource-id "
        "111111111111");
  EXPECT_EQ(
      d.Root().Get("ComplianceByResources").At(0).Get("Compliance").Get("ComplianceType").AsText(),
      "NON_COMPLIANT");

  a(R"(put-configuration-recorder --configuration-recorder name=default,roleARN=arn:aws:iam::111111111111:role/config --recording-group allSupported=true,includeGlobalResourceTypes=true)");
  a(R"(put-delivery-channel --delivery-channel name=default,s3BucketName=bucket)");
  a("start-configuration-recorder --configuration-recorder-name default");
  a(R"(put-resource-config --resource-type Acme::Cli::Widget --schema-version-id 1 --resource-id widget-1 --resource-name w --configuration '{"colour": "teal"}')");
  a(R"(put-resource-config --resource-type Acme::Cli::Widget --schema-version-id 1 --resource-id widget-1 --resource-name w --configuration '{"colour": "red"}')");
  d = a("get-resource-config-history --resource-type Acme::Cli::Widget --resource-id widget-1");
  ASSERT_EQ(d.Root().Get("configurationItems").Size(), 2u);
  EXPECT_EQ(d.Root().Get("configurationItems").At(0).Get("configuration").AsText(),
            R"({"colour":"red"})");
  d = a("list-discovered-resources --resource-type Acme::Cli::Widget");
  ASSERT_EQ(d.Root().Get("resourceIdentifiers").Size(), 1u);
  EXPECT_EQ(d.Root().Get("resourceIdentifiers").At(0).Get("resourceName").AsText(), "w");

  // Account B sees none of it.
  Output o = aws("AKIDACCOUNTB", "secretB",
                 "get-compliance-details-by-config-rule --config-rule-name cli-manual-control");
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.out.find("NoSuchConfigRuleException"), std::string::npos) << o.out;
  o = aws("AKIDACCOUNTB", "secretB",
          "get-resource-config-history --resource-type Acme::Cli::Widget --resource-id widget-1");
  EXPECT_NE(o.status, 0);
  EXPECT_TRUE(o.out.find("ResourceNotDiscoveredException") != std::string::npos ||
              o.out.find("NoAvailableConfigurationRecorderException") != std::string::npos)
      << o.out;
  o = aws("AKIDACCOUNTB", "secretB",
          "describe-compliance-by-resource --resource-type AWS::::Account");
  EXPECT_EQ(o.status, 0) << o.out;
  EXPECT_EQ(o.out.find("111111111111"), std::string::npos) << o.out;
}

// Conformance packs, tags and retention through the `aws` CLI: a bundled AWS pack put from its
// file unmodified, its rules shown by describe-config-rules (account A in its own region, so the
// other cases' data is not disturbed).
TEST_F(ServeE2E, ConformancePackTagsAndRetentionWithTheAwsCli) {
  auto aws = [&](const std::string& args) {
    const Output o =
        Sh(AwsEnv("AKIDACCOUNTA", "secretA") + "aws --region eu-west-2 --endpoint-url " +
           server_->endpoint() + " --output json configservice " + args + " 2>&1");
    EXPECT_EQ(o.status, 0) << args << ": " << o.out;
    auto doc = json::Document::Parse(o.out.empty() ? "{}" : o.out);
    EXPECT_TRUE(doc.ok()) << args << ": " << o.out;
    return doc.ok() ? std::move(*doc) : json::Document();
  };
  json::Document d =
      aws("put-conformance-pack --conformance-pack-name cis --template-body file://" + kSource +
          "/packs/Operational-Best-Practices-for-CIS-AWS-v1.4-Level1.yaml");
  const std::string arn = d.Root().Get("ConformancePackArn").AsText();
  EXPECT_EQ(arn.rfind("arn:aws:config:eu-west-2:111111111111:conformance-pack/cis/", 0), 0u) << arn;
  d = aws("describe-conformance-packs");
  ASSERT_EQ(d.Root().Get("ConformancePackDetails").Size(), 1u);
  EXPECT_EQ(d.Root().Get("ConformancePackDetails").At(0).Get("ConformancePackName").AsText(),
            "cis");
  d = aws("describe-conformance-pack-status");
  EXPECT_EQ(d.Root().Get("ConformancePackStatusDetails").At(0).Get("ConformancePackState").AsText(),
            "CREATE_COMPLETE");
  d = aws("describe-config-rules");  // the CLI follows NextToken itself
  size_t pack_rules = 0;
  std::string root_mfa;
  for (const json::Value r : d.Root().Get("ConfigRules").Elements()) {
    const std::string name = r.Get("ConfigRuleName").AsText();
    if (name.find("-conformance-pack-") == std::string::npos) continue;
    ++pack_rules;
    EXPECT_EQ(r.Get("CreatedBy").AsText(), "config-conforms.amazonaws.com") << name;
    if (name.rfind("root-account-mfa-enabled-conformance-pack-", 0) == 0) root_mfa = name;
  }
  EXPECT_GT(pack_rules, 30u);
  ASSERT_FALSE(root_mfa.empty());
  d = aws("get-conformance-pack-compliance-summary --conformance-pack-names cis");
  EXPECT_EQ(d.Root()
                .Get("ConformancePackComplianceSummaryList")
                .At(0)
                .Get("ConformancePackComplianceStatus")
                .AsText(),
            "INSUFFICIENT_DATA");
  d =
      aws("describe-conformance-pack-compliance --conformance-pack-name cis --filters "
          "ConfigRuleNames=" +
          root_mfa);
  EXPECT_EQ(d.Root().Get("ConformancePackRuleComplianceList").Size(), 1u);
  d = aws("list-conformance-pack-compliance-scores");
  EXPECT_EQ(d.Root().Get("ConformancePackComplianceScores").At(0).Get("Score").AsText(),
            "INSUFFICIENT_DATA");

  aws("tag-resource --resource-arn " + arn + " --tags Key=owner,Value=security");
  d = aws("list-tags-for-resource --resource-arn " + arn);
  ASSERT_EQ(d.Root().Get("Tags").Size(), 1u);
  EXPECT_EQ(d.Root().Get("Tags").At(0).Get("Value").AsText(), "security");
  aws("untag-resource --resource-arn " + arn + " --tag-keys owner");
  EXPECT_EQ(aws("list-tags-for-resource --resource-arn " + arn).Root().Get("Tags").Size(), 0u);

  d = aws("put-retention-configuration --retention-period-in-days 90");
  EXPECT_EQ(d.Root().Get("RetentionConfiguration").Get("Name").AsText(), "default");
  d = aws("describe-retention-configurations");
  EXPECT_EQ(d.Root().Get("RetentionConfigurations").At(0).Get("RetentionPeriodInDays").Int(), 90);
  aws("delete-retention-configuration --retention-configuration-name default");

  aws("delete-conformance-pack --conformance-pack-name cis");
  EXPECT_EQ(aws("describe-conformance-packs").Root().Get("ConformancePackDetails").Size(), 0u);
  d = aws("describe-config-rules");
  EXPECT_EQ(d.Root().Get("ConfigRules").Size(), 0u);
}

TEST(ServeDurability, KillDashNineLosesNoAcknowledgedWrite) {
  if (!HaveClients()) GTEST_SKIP() << "python3 with boto3 and the aws CLI are needed";
  const fs::path dir = NewDir("kill9");
  {
    ServeProcess server;
    ASSERT_TRUE(server.Start(dir, "--max-config-rules 1000000"))
        << ReadFile((dir / "serve.err").string());
    const fs::path acked = dir / "acked.txt";
    const Output bg = Sh("python3 " + kClient + " " + server.endpoint() + " load_until_killed > " +
                         acked.string() + " 2>/dev/null & echo $!");
    const pid_t load = static_cast<pid_t>(std::stol(bg.out));
    // Kill the server mid-stream, once the client has had at least 20 writes acknowledged (the
    // client needs a few seconds to start on a loaded machine).
    for (int i = 0; i < 1200; ++i) {
      const std::string text = ReadFile(acked.string());
      if (std::count(text.begin(), text.end(), '\n') >= 20) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    server.Kill(SIGKILL);
    for (int i = 0; i < 200 && kill(load, 0) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::istringstream lines(ReadFile(acked.string()));
    std::vector<std::string> names;
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty()) names.push_back(line);
    }
    ASSERT_GE(names.size(), 20u) << "the load generator acknowledged too few writes";

    ServeProcess restarted;
    ASSERT_TRUE(restarted.Start(dir)) << ReadFile((dir / "serve.err").string());
    const Output listed = Sh("python3 " + kClient + " " + restarted.endpoint() + " list_all 2>&1");
    ASSERT_EQ(listed.status, 0) << listed.out;
    std::set<std::string> stored;
    std::istringstream in(listed.out);
    for (std::string line; std::getline(in, line);) stored.insert(line);
    size_t lost = 0;
    for (const std::string& n : names) lost += stored.count(n) == 0;
    EXPECT_EQ(lost, 0u) << "of " << names.size() << " acknowledged writes";
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace vigil
