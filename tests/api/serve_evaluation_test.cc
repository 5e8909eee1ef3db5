// Continuous evaluation in the real `vigil serve`: the seed's rules are put, one account of the
// bundled example organisation is pushed with the real `vigil import` (and, in another test,
// dropped into the watched folder), and every verdict the server then holds must be the one
// examples/org/expected.json gives for that account: the same verdicts `vigil evaluate` reaches
// over the whole organisation in one batch.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "../test_util.h"
#include "json/value.h"
#include "json/writer.h"
#include "serve_process.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;
using testing_util::ReadFile;
using testing_util::ServeProcess;
using testing_util::Sh;
using testing_util::SignedCall;

const std::string kSource = VIGIL_SOURCE_DIR;
const std::string kVigil = std::string(VIGIL_BINARY_DIR) + "/vigil";
const std::string kAccount = "102711063004";  // the example account with the most verdicts
const std::vector<std::string> kRegions = {"ap-southeast-2", "eu-west-1", "us-east-1"};

// (region, rule, resource type, resource id) -> compliance
using Verdicts =
    std::map<std::tuple<std::string, std::string, std::string, std::string>, std::string>;

fs::path NewDir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) /
                       ("vigil_serve_eval_" + name + "_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "credentials") << "AKIDORG secretO " << kAccount << "\n";
  return dir;
}

std::pair<int, std::string> Call(const ServeProcess& s, const std::string& region,
                                 const std::string& op, const std::string& body) {
  return SignedCall(s.endpoint(), "AKIDORG", "secretO", region, "StarlingDoveService." + op, body);
}

// The verdicts of examples/org/expected.json for kAccount. That file holds one verdict per
// account for account-level rules (AWS::::Account), in the region holding the facts; a rule
// deployed in several regions, as here, evaluates the account in each of them, as AWS's do.
Verdicts Expected() {
  Verdicts out;
  auto doc = json::Document::Parse(ReadFile(kSource + "/examples/org/expected.json"));
  EXPECT_TRUE(doc.ok());
  if (!doc.ok()) return out;
  for (const json::Value v : doc->Root().Elements()) {
    if (v.Get("AccountId").AsText() != kAccount) continue;
    const bool account_level = v.Get("ResourceType").AsText() == "AWS::::Account";
    for (const std::string& region : kRegions) {
      if (!account_level && region != v.Get("AwsRegion").AsText()) continue;
      out[{region, v.Get("ConfigRuleName").AsText(), v.Get("ResourceType").AsText(),
           v.Get("ResourceId").AsText()}] = v.Get("ComplianceType").AsText();
    }
  }
  return out;
}

std::vector<std::string> RuleNames() {
  std::vector<std::string> names;
  auto doc = json::Document::Parse(ReadFile(kSource + "/examples/org/rules.json"));
  if (!doc.ok()) return names;
  for (const json::Value r : doc->Root().Elements()) {
    names.push_back(r.Get("ConfigRuleName").AsText());
  }
  return names;
}

void PutRules(const ServeProcess& s, const std::string& region) {
  auto doc = json::Document::Parse(ReadFile(kSource + "/examples/org/rules.json"));
  ASSERT_TRUE(doc.ok());
  for (const json::Value r : doc->Root().Elements()) {
    const auto [status, body] =
        Call(s, region, "PutConfigRule", "{\"ConfigRule\":" + r.ToJson() + "}");
    ASSERT_EQ(status, 200) << body;
  }
}

void StartRecorder(const ServeProcess& s, const std::string& region) {
  auto r =
      Call(s, region, "PutConfigurationRecorder",
           R"({"ConfigurationRecorder": {"name": "default", "roleARN": "arn:aws:iam::)" + kAccount +
               R"(:role/config", "recordingGroup": {"allSupported": true,
                    "includeGlobalResourceTypes": true}}})");
  ASSERT_EQ(r.first, 200) << r.second;
  r = Call(s, region, "PutDeliveryChannel",
           R"({"DeliveryChannel": {"name": "default", "s3BucketName": "config-bucket"}})");
  ASSERT_EQ(r.first, 200) << r.second;
  r = Call(s, region, "StartConfigurationRecorder", R"({"ConfigurationRecorderName": "default"})");
  ASSERT_EQ(r.first, 200) << r.second;
}

// Every verdict the server holds for the example rules in `regions`.
Verdicts Held(const ServeProcess& s, const std::vector<std::string>& regions) {
  Verdicts out;
  for (const std::string& region : regions) {
    for (const std::string& rule : RuleNames()) {
      std::string token;
      do {
        json::Writer w;
        w.BeginObject().Field("ConfigRuleName", rule).Field("Limit", 100);
        w.Key("ComplianceTypes").BeginArray();
        for (const char* c : {"COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"}) {
          w.String(c);
        }
        w.EndArray();
        if (!token.empty()) w.Field("NextToken", token);
        w.EndObject();
        const auto [status, body] = Call(s, region, "GetComplianceDetailsByConfigRule", w.Take());
        EXPECT_EQ(status, 200) << body;
        auto doc = json::Document::Parse(body);
        if (status != 200 || !doc.ok()) return out;
        for (const json::Value e : doc->Root().Get("EvaluationResults").Elements()) {
          const json::Value q =
              e.Get("EvaluationResultIdentifier").Get("EvaluationResultQualifier");
          out[{region, rule, q.Get("ResourceType").AsText(), q.Get("ResourceId").AsText()}] =
              e.Get("ComplianceType").AsText();
        }
        token = doc->Root().Get("NextToken").AsText();
      } while (!token.empty());
    }
  }
  return out;
}

// Waits (up to a minute) until the server holds `want`, then compares, listing differences.
void ExpectVerdicts(const ServeProcess& s, const Verdicts& want,
                    const std::vector<std::string>& regions) {
  Verdicts held;
  for (int i = 0; i < 300; ++i) {
    held = Held(s, regions);
    if (held == want) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  size_t shown = 0;
  for (const auto& [k, v] : want) {
    auto it = held.find(k);
    const std::string got = it == held.end() ? "(none)" : it->second;
    if (got != v && shown++ < 20) {
      ADD_FAILURE() << std::get<0>(k) << " " << std::get<1>(k) << " " << std::get<2>(k) << " "
                    << std::get<3>(k) << ": expected " << v << ", server holds " << got;
    }
  }
  for (const auto& [k, v] : held) {
    if (!want.count(k) && shown++ < 20) {
      ADD_FAILURE() << std::get<0>(k) << " " << std::get<1>(k) << " " << std::get<2>(k) << " "
                    << std::get<3>(k) << ": unexpected verdict " << v;
    }
  }
  EXPECT_EQ(held.size(), want.size());
}

TEST(ServeEvaluation, ImportedOrganisationGetsTheBatchEnginesVerdicts) {
  const fs::path dir = NewDir("import");
  ServeProcess server;
  ASSERT_TRUE(server.Start(dir)) << ReadFile((dir / "serve.err").string());
  for (const std::string& region : kRegions) PutRules(server, region);

  const std::string env = "AWS_ACCESS_KEY_ID=AKIDORG AWS_SECRET_ACCESS_KEY=secretO ";
  const auto out = Sh(env + kVigil + " import --quiet --endpoint-url " + server.endpoint() + " " +
                      kSource + "/examples/org/AWSLogs/" + kAccount + " " + kSource +
                      "/examples/org/facts/" + kAccount + " 2>&1");
  ASSERT_EQ(out.status, 0) << out.out;
  EXPECT_NE(out.out.find(" refused"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("0 refused"), std::string::npos) << out.out;
  const Verdicts want = Expected();
  ASSERT_GT(want.size(), 150u);
  ExpectVerdicts(server, want, kRegions);

  // Importing the same files again records nothing new.
  const auto again = Sh(env + kVigil + " import --quiet --endpoint-url " + server.endpoint() + " " +
                        kSource + "/examples/org/AWSLogs/" + kAccount + " 2>&1");
  ASSERT_EQ(again.status, 0) << again.out;
  EXPECT_NE(again.out.find(" 0 recorded"), std::string::npos) << again.out;

  // Items of another account are refused, naming the item; the import exits 1.
  const auto other = Sh(env + kVigil + " import --quiet --endpoint-url " + server.endpoint() + " " +
                        kSource + "/examples/org/AWSLogs/137534856054/Config/eu-west-1 2>&1");
  EXPECT_EQ(other.status, 1) << other.out;
  EXPECT_NE(other.out.find("belongs to account 137534856054"), std::string::npos) << other.out;
}

TEST(ServeEvaluation, WatchedFolderIsRecordedOnlyWhereTheRecorderRuns) {
  const fs::path dir = NewDir("watch");
  const fs::path bucket = dir / "bucket";
  fs::create_directories(bucket);
  ServeProcess server;
  ASSERT_TRUE(server.Start(dir, "--watch " + bucket.string() + " --watch-interval-ms 100"))
      << ReadFile((dir / "serve.err").string());
  for (const std::string& region : kRegions) PutRules(server, region);
  StartRecorder(server, "eu-west-1");
  fs::create_directories(bucket / "AWSLogs");
  fs::create_directories(bucket / "facts");
  // What `aws s3 sync s3://bucket/AWSLogs ./bucket/AWSLogs` would write.
  fs::copy(kSource + "/examples/org/AWSLogs/" + kAccount, bucket / "AWSLogs" / kAccount,
           fs::copy_options::recursive);
  // Account facts (AWS CLI output) beside them, in <account>/<region>/ folders.
  fs::copy(kSource + "/examples/org/facts/" + kAccount, bucket / "facts" / kAccount,
           fs::copy_options::recursive);

  Verdicts want;
  for (const auto& [k, v] : Expected()) {
    // Only eu-west-1 records. The account-level rules wait for the IAM facts, which AWS's CLI
    // answers (and the example holds) in us-east-1 only.
    if (std::get<0>(k) == "eu-west-1" && std::get<2>(k) != "AWS::::Account") want[k] = v;
  }
  ExpectVerdicts(server, want, {"eu-west-1"});
  EXPECT_TRUE(Held(server, {"us-east-1"}).empty());

  // Starting the us-east-1 recorder picks up the files that waited for it.
  StartRecorder(server, "us-east-1");
  Verdicts want_us;
  for (const auto& [k, v] : Expected()) {
    if (std::get<0>(k) != "ap-southeast-2") want_us[k] = v;
  }
  // The IAM facts recorded in us-east-1 now reach the account-level rules of eu-west-1 too.
  ExpectVerdicts(server, want_us, {"eu-west-1", "us-east-1"});
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

// The seed's custom rule, verbatim, with its Lambda handler file unmodified: an imported
// instance triggers the handler (a child process, calling back with boto3), whose
// put_evaluations lands as the rule's verdict. On a tagged instance the seed's handler fails as
// it would on AWS (it iterates the `tags` map as if it were a list): the failure shows in
// DescribeConfigRuleEvaluationStatus.
TEST(ServeEvaluation, TheSeedsLambdaRuleJudgesImportedInstances) {
  const std::string handler = kSource + "/../shared/seed/custom_config_rule.py";
  if (!fs::exists(handler)) GTEST_SKIP() << "the seed's handler is not beside the checkout";
  if (Sh("python3 -c 'import boto3' 2>/dev/null").status != 0) GTEST_SKIP() << "no boto3";
  const fs::path dir = NewDir("lambda");
  ServeProcess server;
  const std::string arn = "arn:aws:lambda:us-east-1:ACCOUNT:function:config-required-tags";
  ASSERT_TRUE(server.Start(dir, "--lambda '" + arn + "=" + handler + ":lambda_handler'"))
      << ReadFile((dir / "serve.err").string());
  auto put = Call(server, "us-east-1", "PutConfigRule", R"({"ConfigRule": {
      "ConfigRuleName": "ec2-required-tags",
      "Source": {
        "Owner": "CUSTOM_LAMBDA",
        "SourceIdentifier": "arn:aws:lambda:us-east-1:ACCOUNT:function:config-required-tags",
        "SourceDetails": [{
          "EventSource": "aws.config",
          "MessageType": "ConfigurationItemChangeNotification"
        }]
      },
      "Scope": {"ComplianceResourceTypes": ["AWS::EC2::Instance"]}
    }})");
  ASSERT_EQ(put.first, 200) << put.second;
  auto instance = [](const std::string& id, const std::string& tags) {
    return R"({"awsAccountId": ")" + kAccount +
           R"(", "awsRegion": "us-east-1", "resourceType": "AWS::EC2::Instance", "resourceId": ")" +
           id + R"(", "configurationItemCaptureTime": "2026-02-23T10:00:00.000Z",
           "configurationItemStatus": "OK", "configurationStateId": "1771840800000",
           "tags": )" +
           tags + R"(, "configuration": {"instanceId": ")" + id + R"("}})";
  };
  auto imported = SignedCall(server.endpoint(), "AKIDORG", "secretO", "us-east-1",
                             "VigilService.ImportConfigurationItems",
                             R"({"ConfigurationItems": [)" + instance("i-untagged", "{}") + "," +
                                 instance("i-tagged", R"({"Environment": "prod"})") + "]}");
  ASSERT_EQ(imported.first, 200) << imported.second;

  std::string details, status;
  for (int i = 0; i < 300; ++i) {
    details = Call(server, "us-east-1", "GetComplianceDetailsByConfigRule",
                   R"({"ConfigRuleName": "ec2-required-tags"})")
                  .second;
    status = Call(server, "us-east-1", "DescribeConfigRuleEvaluationStatus",
                  R"({"ConfigRuleNames": ["ec2-required-tags"]})")
                 .second;
    // The verdict is stored by the handler's call back, before its process has ended and the
    // runner recorded the invocation: wait for both invocations' outcomes too.
    if (details.find("i-untagged") != std::string::npos &&
        status.find("LastFailedInvocationTime") != std::string::npos &&
        status.find("LastSuccessfulInvocationTime") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(details.find("i-untagged"), std::string::npos) << details;
  EXPECT_NE(details.find("NON_COMPLIANT"), std::string::npos) << details;
  EXPECT_EQ(details.find("i-tagged"), std::string::npos) << details;
  auto d = json::Document::Parse(details);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->Root().Get("EvaluationResults").At(0).Get("Annotation").AsText(),
            "Missing required tags: Environment, Owner, CostCenter, Project");
  EXPECT_NE(status.find("LastSuccessfulInvocationTime"), std::string::npos) << status;
  EXPECT_NE(status.find("TypeError"), std::string::npos) << status;
}

}  // namespace
}  // namespace vigil
