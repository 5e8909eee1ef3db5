// CUSTOM_LAMBDA rules: the Lambda runner invokes real Python handlers (the machine's python3 and
// boto3) as child processes against an in-process `vigil serve` (Service + Server on a free
// port). The seed's handler runs unmodified from ../shared/seed/custom_config_rule.py.
//
// Jobs are queued with QueueLambdaInvocation directly (the evaluator does it in the server).
#include "api/lambda_runner.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../test_util.h"
#include "api/server.h"
#include "common/strings.h"
#include "service_fixture.h"

namespace vigil::api {
namespace {

namespace fs = std::filesystem;
using testing_fixture::Reply;
using testing_util::ReadFile;
using testing_util::Sh;

const std::string kSeedHandler =
    std::string(VIGIL_SOURCE_DIR) + "/../shared/seed/custom_config_rule.py";
constexpr std::string_view kArn =
    "arn:aws:lambda:us-east-1:111111111111:function:config-required-tags";
const Tenant kTenant{"111111111111", "us-east-1"};

bool HavePythonBoto3() {
  static const bool have = Sh("python3 -c 'import boto3' 2>/dev/null").status == 0;
  return have;
}

// An EC2 instance as the Lambda event shows it (the S3/notification spelling), with top-level
// `tags` a map and `configuration.tags` a list, as AWS records them.
std::string Instance(const std::string& id,
                     const std::vector<std::pair<std::string, std::string>>& tags,
                     const std::string& state = "running") {
  std::string map = "{", list = "[";
  for (const auto& [k, v] : tags) {
    if (map.size() > 1) map += ",", list += ",";
    map += "\"" + k + "\":\"" + v + "\"";
    list += R"({"key":")" + k + R"(","value":")" + v + "\"}";
  }
  map += "}", list += "]";
  return R"({"configurationItemVersion":"1.3","configurationItemCaptureTime":"2026-02-23T10:00:00.000Z",)"
         R"("configurationStateId":1700000000000,"awsAccountId":"111111111111",)"
         R"("configurationItemStatus":"OK","resourceId":")" +
         id + R"(","resourceName":null,"ARN":"arn:aws:ec2:us-east-1:111111111111:instance/)" + id +
         R"(","awsRegion":"us-east-1","availabilityZone":"us-east-1a",)"
         R"("resourceType":"AWS::EC2::Instance","tags":)" +
         map + R"(,"relationships":[],"configuration":{"instanceId":")" + id +
         R"(","state":{"code":16,"name":")" + state + R"("},"tags":)" + list +
         R"(},"supplementaryConfiguration":{}})";
}

class LambdaRunnerTest : public testing_fixture::ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (!HavePythonBoto3()) GTEST_SKIP() << "python3 with boto3 is not installed";
    ServerOptions o;
    o.port = 0;
    o.threads = 4;
    server_ = std::make_unique<Server>(*service_, o);
    ASSERT_TRUE(server_->Bind().ok());
    server_thread_ = std::thread([this] { (void)server_->Run(); });
    handlers_ = dir_ / "handlers";
    fs::create_directories(handlers_);
  }
  void TearDown() override {
    if (runner_) runner_->Stop();
    runner_.reset();
    if (server_) server_->Stop();
    if (server_thread_.joinable()) server_thread_.join();
    server_.reset();
    ServiceTest::TearDown();
  }

  LambdaRunnerOptions Options(std::map<std::string, LambdaFunction> functions) {
    LambdaRunnerOptions o;
    o.functions = std::move(functions);
    o.timeout_seconds = 30;
    o.workers = 2;
    o.endpoint = "http://127.0.0.1:" + std::to_string(server_->port());
    o.data_dir = dir_.string();
    return o;
  }
  void StartRunner(std::map<std::string, LambdaFunction> functions) {
    runner_ = std::make_unique<LambdaRunner>(*service_, Options(std::move(functions)));
    ASSERT_TRUE(runner_->Start().ok());
  }
  std::string WriteHandler(const std::string& name, const std::string& code) {
    const fs::path p = handlers_ / name;
    std::ofstream(p) << code;
    return p.string();
  }

  void PutLambdaRule(const std::string& name, std::string_view arn, const std::string& extra = "") {
    const Reply r = Call("PutConfigRule",
                         R"({"ConfigRule": {"ConfigRuleName": ")" + name +
                             R"(", "Scope": {"ComplianceResourceTypes": ["AWS::EC2::Instance"]},)" +
                             extra + R"( "Source": {"Owner": "CUSTOM_LAMBDA",
            "SourceIdentifier": ")" +
                             std::string(arn) +
                             R"(", "SourceDetails": [{"EventSource": "aws.config",
            "MessageType": "ConfigurationItemChangeNotification"}]}}})");
    ASSERT_EQ(r.status, 200) << r.body;
  }
  void Queue(const std::string& rule, const std::string& item, const std::string& previous = "",
             const std::string& type = "ConfigurationItemChangeNotification") {
    LambdaTrigger t;
    t.rule_name = rule;
    t.message_type = type;
    t.configuration_item = item;
    t.previous_item = previous;
    Store& store = service_->store();
    ASSERT_TRUE(store
                    .Transact([&] {
                      QueueLambdaInvocation(store, kTenant, t, NowMillis());
                      return true;
                    })
                    .ok());
    if (runner_) runner_->Wake();
  }
  void WaitIdle() { ASSERT_TRUE(runner_->WaitIdle(std::chrono::seconds(60))); }

  // The rule's "rule-evaluation-status" document.
  std::optional<json::Document> RuleStatus(const std::string& rule) {
    std::optional<std::string> text;
    Store& store = service_->store();
    (void)store.Transact([&] {
      text = store.Get(kTenant, kRuleEvaluationStatusKind, rule);
      return true;
    });
    if (!text) return std::nullopt;
    auto doc = json::Document::Parse(*text);
    if (!doc.ok()) return std::nullopt;
    return std::move(*doc);
  }
  // (compliance, annotation) of `resource` under `rule`, or ("", "") if none.
  std::pair<std::string, std::string> Verdict(const std::string& rule,
                                              const std::string& resource) {
    const Reply r =
        Call("GetComplianceDetailsByConfigRule", R"({"ConfigRuleName": ")" + rule + R"("})");
    EXPECT_EQ(r.status, 200) << r.body;
    for (const json::Value e : r.Root().Get("EvaluationResults").Elements()) {
      if (e.Get("EvaluationResultIdentifier")
              .Get("EvaluationResultQualifier")
              .Get("ResourceId")
              .AsText() == resource) {
        return {e.Get("ComplianceType").AsText(), e.Get("Annotation").AsText()};
      }
    }
    return {"", ""};
  }

  std::unique_ptr<Server> server_;
  std::thread server_thread_;
  std::unique_ptr<LambdaRunner> runner_;
  fs::path handlers_;
};

const std::vector<std::pair<std::string, std::string>> kAllTags = {
    {"Environment", "prod"}, {"Owner", "team-a"}, {"CostCenter", "cc-1"}, {"Project", "vigil"}};
const std::vector<std::pair<std::string, std::string>> kSomeTags = {{"Environment", "prod"},
                                                                    {"Owner", "team-a"}};

TEST_F(LambdaRunnerTest, SeedHandlerUnmodifiedJudgesAnUntaggedInstance) {
  ASSERT_TRUE(fs::exists(kSeedHandler)) << kSeedHandler;
  StartRunner({{std::string(kArn), {kSeedHandler, "lambda_handler", 0, {}}}});
  PutLambdaRule("ec2-required-tags", kArn);
  Queue("ec2-required-tags", Instance("i-0untagged", {}));
  WaitIdle();
  EXPECT_EQ(Verdict("ec2-required-tags", "i-0untagged"),
            std::make_pair(
                std::string("NON_COMPLIANT"),
                std::string("Missing required tags: Environment, Owner, CostCenter, Project")));
  auto st = RuleStatus("ec2-required-tags");
  ASSERT_TRUE(st);
  EXPECT_TRUE(st->Root().Get("LastSuccessfulInvocationTime").IsNumber());
  EXPECT_TRUE(st->Root().Get("LastFailedInvocationTime").Missing());
  // The log holds Lambda's START/END/REPORT lines.
  const std::string log = ReadFile(runner_->LogFile(kArn));
  EXPECT_NE(log.find("START RequestId: "), std::string::npos) << log;
  EXPECT_NE(log.find("REPORT RequestId: "), std::string::npos) << log;
}

// AWS's item has top-level `tags` as a map; the seed iterates it as a list of {key, value}, so
// on a tagged instance it raises, on AWS as here (../shared/aws-config/README.md).
TEST_F(LambdaRunnerTest, SeedHandlerUnmodifiedFailsOnATaggedInstanceAsOnAws) {
  StartRunner({{std::string(kArn), {kSeedHandler, "lambda_handler", 0, {}}}});
  PutLambdaRule("ec2-required-tags", kArn);
  Queue("ec2-required-tags", Instance("i-0tagged", kAllTags));
  WaitIdle();
  EXPECT_EQ(Verdict("ec2-required-tags", "i-0tagged").first, "");
  auto st = RuleStatus("ec2-required-tags");
  ASSERT_TRUE(st);
  EXPECT_EQ(st->Root().Get("LastErrorCode").AsText(), "TypeError");
  EXPECT_NE(st->Root().Get("LastErrorMessage").AsText().find("string indices must be integers"),
            std::string::npos)
      << st->Root().ToJson();
  EXPECT_TRUE(st->Root().Get("LastFailedInvocationTime").IsNumber());
  const std::string log = ReadFile(runner_->LogFile(kArn));
  EXPECT_NE(log.find("[ERROR] TypeError"), std::string::npos) << log;
  EXPECT_NE(log.find("custom_config_rule.py"), std::string::npos) << log;  // the traceback
}

// The seed with the one-line fix docs/serve.md shows: COMPLIANT and NON_COMPLIANT with the
// handler's annotations.
TEST_F(LambdaRunnerTest, FixedSeedHandlerJudgesTags) {
  std::string code = ReadFile(kSeedHandler);
  const std::string bad =
      "tags = {t['key']: t['value'] for t in configuration_item.get('tags', [])}";
  const size_t at = code.find(bad);
  ASSERT_NE(at, std::string::npos);
  code.replace(at, bad.size(), "tags = configuration_item.get('tags') or {}");
  StartRunner(
      {{std::string(kArn), {WriteHandler("fixed_rule.py", code), "lambda_handler", 0, {}}}});
  PutLambdaRule("ec2-required-tags", kArn);
  Queue("ec2-required-tags", Instance("i-0all", kAllTags));
  Queue("ec2-required-tags", Instance("i-0some", kSomeTags));
  WaitIdle();
  EXPECT_EQ(Verdict("ec2-required-tags", "i-0all"),
            std::make_pair(std::string("COMPLIANT"), std::string("All required tags present")));
  EXPECT_EQ(Verdict("ec2-required-tags", "i-0some"),
            std::make_pair(std::string("NON_COMPLIANT"),
                           std::string("Missing required tags: CostCenter, Project")));
}

// The event has AWS's members; the context and the environment are Lambda's, pointed at vigil.
TEST_F(LambdaRunnerTest, EventContextAndEnvironment) {
  setenv("AWS_PROFILE", "real-aws", 1);
  setenv("AWS_SESSION_TOKEN", "leak", 1);
  setenv("HTTPS_PROXY", "http://proxy.invalid:3128", 1);
  const std::string out = (dir_ / "seen.json").string();
  const std::string handler = WriteHandler("dump.py", std::string(R"(import json, os
def handle(event, context):
    keep = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION",
            "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_CONFIG_SERVICE", "AWS_PROFILE", "AWS_SESSION_TOKEN",
            "HTTPS_PROXY", "AWS_LAMBDA_FUNCTION_NAME", "MY_SETTING", "LAMBDA_TASK_ROOT")
    seen = {"event": event, "env": {k: os.environ.get(k) for k in keep},
            "context": {"function_name": context.function_name,
                        "function_version": context.function_version,
                        "invoked_function_arn": context.invoked_function_arn,
                        "aws_request_id": context.aws_request_id,
                        "log_group_name": context.log_group_name,
                        "remaining": context.get_remaining_time_in_millis()},
            "cwd": os.getcwd()}
    with open()") + "\"" + out + "\"" + R"(, "w") as f:
        json.dump(seen, f)
    return {"ok": True}
)");
  StartRunner({{std::string(kArn), {handler, "handle", 7, {{"MY_SETTING", "42"}}}}});
  PutLambdaRule("dump-rule", kArn, R"( "InputParameters": "{\"tag1Key\":\"Owner\"}",)");
  Queue("dump-rule", Instance("i-0new", kSomeTags, "running"),
        Instance("i-0new", kSomeTags, "stopped"));
  WaitIdle();
  unsetenv("AWS_PROFILE");
  unsetenv("AWS_SESSION_TOKEN");
  unsetenv("HTTPS_PROXY");
  auto doc = json::Document::Parse(ReadFile(out));
  ASSERT_TRUE(doc.ok()) << ReadFile(out);
  const json::Value e = doc->Root().Get("event");
  EXPECT_EQ(e.Get("ruleParameters").AsText(), R"({"tag1Key":"Owner"})");
  EXPECT_EQ(e.Get("resultToken").AsText().rfind("vigil-rt1.", 0), 0u);
  EXPECT_EQ(e.Get("eventLeftScope").Bool(), false);
  EXPECT_EQ(e.Get("executionRoleArn").AsText(),
            "arn:aws:iam::111111111111:role/aws-service-role/config.amazonaws.com/"
            "AWSServiceRoleForConfig");
  EXPECT_EQ(e.Get("configRuleName").AsText(), "dump-rule");
  EXPECT_EQ(e.Get("configRuleArn")
                .AsText()
                .rfind("arn:aws:config:us-east-1:111111111111:config-rule/config-rule-", 0),
            0u);
  EXPECT_EQ(e.Get("configRuleId").AsText().rfind("config-rule-", 0), 0u);
  EXPECT_EQ(e.Get("accountId").AsText(), "111111111111");
  EXPECT_EQ(e.Get("version").AsText(), "1.0");
  ASSERT_TRUE(e.Get("invokingEvent").IsString());
  auto inv = json::Document::Parse(e.Get("invokingEvent").AsText());
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(inv->Root().Get("messageType").AsText(), "ConfigurationItemChangeNotification");
  EXPECT_EQ(inv->Root().Get("recordVersion").AsText(), "1.3");
  EXPECT_EQ(inv->Root().Get("configurationItem").Get("resourceId").AsText(), "i-0new");
  const json::Value diff = inv->Root().Get("configurationItemDiff");
  EXPECT_EQ(diff.Get("changeType").AsText(), "UPDATE");
  const json::Value state = diff.Get("changedProperties").Get("Configuration.State.Name");
  EXPECT_EQ(state.Get("previousValue").AsText(), "stopped");
  EXPECT_EQ(state.Get("updatedValue").AsText(), "running");
  EXPECT_EQ(state.Get("changeType").AsText(), "UPDATE");

  const json::Value env = doc->Root().Get("env");
  EXPECT_EQ(env.Get("AWS_ACCESS_KEY_ID").AsText(), "AKIDA");
  EXPECT_EQ(env.Get("AWS_SECRET_ACCESS_KEY").AsText(), "secretA");
  EXPECT_EQ(env.Get("AWS_REGION").AsText(), "us-east-1");
  EXPECT_EQ(env.Get("AWS_ENDPOINT_URL").AsText(),
            "http://127.0.0.1:" + std::to_string(server_->port()));
  EXPECT_TRUE(env.Get("AWS_PROFILE").IsNull());
  EXPECT_TRUE(env.Get("AWS_SESSION_TOKEN").IsNull());
  EXPECT_TRUE(env.Get("HTTPS_PROXY").IsNull());
  EXPECT_EQ(env.Get("AWS_LAMBDA_FUNCTION_NAME").AsText(), "config-required-tags");
  EXPECT_EQ(env.Get("MY_SETTING").AsText(), "42");
  EXPECT_EQ(env.Get("LAMBDA_TASK_ROOT").AsText(), handlers_.string());
  EXPECT_EQ(doc->Root().Get("cwd").AsText(), handlers_.string());

  const json::Value ctx = doc->Root().Get("context");
  EXPECT_EQ(ctx.Get("function_name").AsText(), "config-required-tags");
  EXPECT_EQ(ctx.Get("function_version").AsText(), "$LATEST");
  EXPECT_EQ(ctx.Get("invoked_function_arn").AsText(), kArn);
  EXPECT_EQ(ctx.Get("aws_request_id").AsText().size(), 36u);
  EXPECT_EQ(ctx.Get("log_group_name").AsText(), "/aws/lambda/config-required-tags");
  const auto remaining = ctx.Get("remaining").Int().value_or(-1);
  EXPECT_GT(remaining, 0);
  EXPECT_LE(remaining, 7000);
}

TEST_F(LambdaRunnerTest, HandlerPastTheLimitIsKilled) {
  const std::string handler = WriteHandler("slow.py", R"(import subprocess, time
def handle(event, context):
    subprocess.Popen(["sleep", "67.25"])  # a grandchild: killed with the process group
    time.sleep(60)
)");
  StartRunner({{std::string(kArn), {handler, "handle", 1, {}}}});
  PutLambdaRule("slow-rule", kArn);
  const auto start = std::chrono::steady_clock::now();
  Queue("slow-rule", Instance("i-0slow", {}));
  WaitIdle();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
  auto st = RuleStatus("slow-rule");
  ASSERT_TRUE(st);
  EXPECT_EQ(st->Root().Get("LastErrorCode").AsText(), "Sandbox.Timedout");
  EXPECT_EQ(st->Root().Get("LastErrorMessage").AsText(), "Task timed out after 1.00 seconds");
  EXPECT_NE(ReadFile(runner_->LogFile(kArn)).find("Task timed out after 1.00 seconds"),
            std::string::npos);
  // The server still answers, and no `sleep 67.25` of the handler's survives.
  EXPECT_EQ(Call("DescribeConfigRules", "{}").status, 200);
  EXPECT_NE(Sh("pgrep -x -f 'sleep 67.25' >/dev/null").status, 0);
}

TEST_F(LambdaRunnerTest, ForgedResultTokenIsRefused) {
  const std::string handler = WriteHandler("forger.py", R"(import boto3
def handle(event, context):
    token = event["resultToken"]
    forged = token[:-4] + ("0000" if not token.endswith("0000") else "1111")
    boto3.client("config").put_evaluations(
        Evaluations=[{"ComplianceResourceType": "AWS::EC2::Instance",
                      "ComplianceResourceId": "i-0forged", "ComplianceType": "COMPLIANT",
                      "OrderingTimestamp": "2026-02-23T10:00:00Z"}],
        ResultToken=forged)
)");
  StartRunner({{std::string(kArn), {handler, "handle", 0, {}}}});
  PutLambdaRule("forged-rule", kArn);
  Queue("forged-rule", Instance("i-0forged", {}));
  WaitIdle();
  EXPECT_EQ(Verdict("forged-rule", "i-0forged").first, "");
  auto st = RuleStatus("forged-rule");
  ASSERT_TRUE(st);
  EXPECT_EQ(st->Root().Get("LastErrorCode").AsText(), "InvalidResultTokenException");
  EXPECT_NE(st->Root().Get("LastErrorMessage").AsText().find("The resultToken provided is invalid"),
            std::string::npos);
}

TEST_F(LambdaRunnerTest, HandlerThatRaises) {
  const std::string handler = WriteHandler("raiser.py", R"(
def handle(event, context):
    raise ValueError("no verdict for you")
)");
  StartRunner({{std::string(kArn), {handler, "handle", 0, {}}}});
  PutLambdaRule("raising-rule", kArn);
  Queue("raising-rule", Instance("i-0r", {}));
  WaitIdle();
  auto st = RuleStatus("raising-rule");
  ASSERT_TRUE(st);
  EXPECT_EQ(st->Root().Get("LastErrorCode").AsText(), "ValueError");
  EXPECT_EQ(st->Root().Get("LastErrorMessage").AsText(), "no verdict for you");
  EXPECT_TRUE(st->Root().Get("LastSuccessfulInvocationTime").Missing());
  // A missing handler function and a module that does not import: Lambda's error types.
  runner_->Stop();
  runner_ = std::make_unique<LambdaRunner>(
      *service_, Options({{std::string(kArn), {handler, "nope", 0, {}}}}));
  ASSERT_TRUE(runner_->Start().ok());
  Queue("raising-rule", Instance("i-0r", {}));
  WaitIdle();
  EXPECT_EQ(RuleStatus("raising-rule")->Root().Get("LastErrorCode").AsText(),
            "Runtime.HandlerNotFound");
}

TEST_F(LambdaRunnerTest, UnmappedArnFails) {
  StartRunner({});
  PutLambdaRule("unmapped-rule", "arn:aws:lambda:us-east-1:111111111111:function:elsewhere");
  Queue("unmapped-rule", Instance("i-0u", {}));
  WaitIdle();
  auto st = RuleStatus("unmapped-rule");
  ASSERT_TRUE(st);
  EXPECT_EQ(st->Root().Get("LastErrorCode").AsText(), "ResourceNotFoundException");
  const std::string message = st->Root().Get("LastErrorMessage").AsText();
  EXPECT_NE(message.find("arn:aws:lambda:us-east-1:111111111111:function:elsewhere"),
            std::string::npos);
  EXPECT_NE(message.find("--lambda"), std::string::npos);
}

// Jobs queued while no runner runs (a server killed before it ran them) run at start.
TEST_F(LambdaRunnerTest, QueuedJobsRunAtStart) {
  PutLambdaRule("ec2-required-tags", kArn);
  Queue("ec2-required-tags", Instance("i-0early", {}));
  StartRunner({{std::string(kArn), {kSeedHandler, "lambda_handler", 0, {}}}});
  WaitIdle();
  EXPECT_EQ(Verdict("ec2-required-tags", "i-0early").first, "NON_COMPLIANT");
}

// Any other file is executed with the event on stdin; exit status 0 is success.
TEST_F(LambdaRunnerTest, ExecutableHandler) {
  const std::string out = (dir_ / "stdin.json").string();
  const std::string script =
      WriteHandler("handler.sh", "#!/bin/sh\ncat > " + out + "\nexit ${EXIT_WITH:-0}\n");
  chmod(script.c_str(), 0755);
  StartRunner({{std::string(kArn), {script, "", 0, {}}},
               {"arn:aws:lambda:us-east-1:111111111111:function:failing",
                // A relative path: to the server's working folder.
                {fs::relative(script, fs::current_path()).string(), "", 0, {{"EXIT_WITH", "3"}}}}});
  PutLambdaRule("sh-rule", kArn);
  PutLambdaRule("sh-failing", "arn:aws:lambda:us-east-1:111111111111:function:failing");
  Queue("sh-rule", "", "", "ScheduledNotification");
  WaitIdle();
  auto event = json::Document::Parse(ReadFile(out));
  ASSERT_TRUE(event.ok());
  auto inv = json::Document::Parse(event->Root().Get("invokingEvent").AsText());
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(inv->Root().Get("messageType").AsText(), "ScheduledNotification");
  EXPECT_EQ(inv->Root().Get("awsAccountId").AsText(), "111111111111");
  EXPECT_EQ(inv->Root().Get("recordVersion").AsText(), "1.0");
  EXPECT_TRUE(event->Root().Get("ruleParameters").Missing());
  EXPECT_TRUE(RuleStatus("sh-rule")->Root().Get("LastSuccessfulInvocationTime").IsNumber());
  Queue("sh-failing", "", "", "ScheduledNotification");
  WaitIdle();
  EXPECT_EQ(RuleStatus("sh-failing")->Root().Get("LastErrorCode").AsText(), "Runtime.ExitError");
  EXPECT_NE(RuleStatus("sh-failing")->Root().Get("LastErrorMessage").AsText().find("exit status 3"),
            std::string::npos);
}

// The real `vigil serve` binary with --lambda: a job left in its --data (as by a server killed
// before it ran it) runs at start, and the seed's handler reaches the server on its own port.
class LambdaServeBinary : public testing_fixture::ServiceTest {};

TEST_F(LambdaServeBinary, SeedHandlerRunsUnderVigilServe) {
  if (!HavePythonBoto3()) GTEST_SKIP() << "python3 with boto3 is not installed";
  const std::string vigil = std::string(VIGIL_BINARY_DIR) + "/vigil";
  ASSERT_TRUE(fs::exists(vigil));
  const Reply r = Call("PutConfigRule", R"({"ConfigRule": {"ConfigRuleName": "ec2-required-tags",
      "Source": {"Owner": "CUSTOM_LAMBDA", "SourceIdentifier": ")" +
                                            std::string(kArn) +
                                            R"(", "SourceDetails": [{"EventSource": "aws.config",
      "MessageType": "ConfigurationItemChangeNotification"}]}}})");
  ASSERT_EQ(r.status, 200) << r.body;
  LambdaTrigger t{"ec2-required-tags", "ConfigurationItemChangeNotification",
                  Instance("i-0binary", {}), "", false};
  Store& store = service_->store();
  ASSERT_TRUE(store
                  .Transact([&] {
                    QueueLambdaInvocation(store, kTenant, t, NowMillis());
                    return true;
                  })
                  .ok());
  service_.reset();  // closes the store, as a killed server leaves it

  std::ofstream(dir_ / "credentials") << testing_fixture::kCredentials;
  const std::string out = (dir_ / "serve.out").string();
  const std::string cmd = vigil + " serve --listen 127.0.0.1:0 --data " + dir_.string() +
                          " --credentials " + (dir_ / "credentials").string() + " --lambda " +
                          std::string(kArn) + "=" + kSeedHandler +
                          ":lambda_handler --lambda-timeout 30 > " + out + " 2>&1 & echo $!";
  const std::string pid = std::string(Trim(Sh(cmd).out));
  ASSERT_FALSE(pid.empty());
  std::string endpoint;
  for (int i = 0; i < 200 && endpoint.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const std::string text = ReadFile(out);
    const size_t at = text.find("http://127.0.0.1:");
    if (at != std::string::npos && text.find(' ', at) != std::string::npos) {
      endpoint = text.substr(at, text.find(' ', at) - at);
    }
  }
  ASSERT_FALSE(endpoint.empty()) << ReadFile(out);
  const std::string query =
      "AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_ACCESS_KEY_ID=AKIDA "
      "AWS_SECRET_ACCESS_KEY=secretA python3 -c '\n"
      "import boto3, time\n"
      "c = boto3.client(\"config\", region_name=\"us-east-1\", endpoint_url=\"" +
      endpoint +
      "\")\n"
      "for _ in range(120):\n"
      "    r = c.get_compliance_details_by_config_rule(ConfigRuleName=\"ec2-required-tags\")\n"
      "    if r[\"EvaluationResults\"]:\n"
      "        e = r[\"EvaluationResults\"][0]\n"
      "        print(e[\"ComplianceType\"] + \"|\" + e[\"Annotation\"])\n"
      "        break\n"
      "    time.sleep(0.5)\n"
      "'";
  const std::string verdict = std::string(Trim(Sh(query).out));
  Sh("kill " + pid);
  EXPECT_EQ(verdict, "NON_COMPLIANT|Missing required tags: Environment, Owner, CostCenter, Project")
      << ReadFile(out);
  EXPECT_TRUE(fs::exists(dir_ / "lambda" / "logs" / "config-required-tags.log"));
}

TEST(LambdaEvent, CreateOversizedAndMappings) {
  LambdaTrigger t;
  t.rule_name = "r";
  t.message_type = "ConfigurationItemChangeNotification";
  t.configuration_item = Instance("i-1", {});
  auto created = json::Document::Parse(InvokingEvent(t, "111111111111", 0));
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->Root().Get("configurationItemDiff").Get("changeType").AsText(), "CREATE");
  EXPECT_EQ(created->Root().Get("configurationItemDiff").Get("changedProperties").Size(), 0u);
  EXPECT_EQ(created->Root().Get("notificationCreationTime").AsText(), "1970-01-01T00:00:00.000Z");

  // An item as the store keeps it (the API's spelling) is given in the notification's.
  t.configuration_item =
      R"({"version":"1.3","accountId":"111111111111","configurationItemCaptureTime":1771841730.5,)"
      R"("configurationStateId":"1771841730500","configurationItemMD5Hash":"",)"
      R"("resourceType":"AWS::S3::Bucket","resourceId":"b","arn":"arn:aws:s3:::b","tags":{},)"
      R"("configuration":"{\"name\":\"b\"}","supplementaryConfiguration":)"
      R"({"BucketPolicy":"{\"policyText\":null}"},"vigilState":3})";
  auto stored = json::Document::Parse(InvokingEvent(t, "111111111111", 0));
  ASSERT_TRUE(stored.ok());
  const json::Value ci = stored->Root().Get("configurationItem");
  EXPECT_EQ(ci.Get("awsAccountId").AsText(), "111111111111");
  EXPECT_EQ(ci.Get("ARN").AsText(), "arn:aws:s3:::b");
  EXPECT_EQ(ci.Get("configurationItemVersion").AsText(), "1.3");
  EXPECT_EQ(ci.Get("configurationItemCaptureTime").AsText(), "2026-02-23T10:15:30.500Z");
  EXPECT_EQ(ci.Get("configurationStateId").Int(), 1771841730500);
  EXPECT_EQ(ci.Get("configuration").Get("name").AsText(), "b");
  EXPECT_TRUE(ci.Get("supplementaryConfiguration").Get("BucketPolicy").IsObject());
  EXPECT_TRUE(ci.Get("vigilState").Missing());
  EXPECT_TRUE(ci.Get("accountId").Missing());

  t.configuration_item = Instance("i-1", {});
  t.message_type = "OversizedConfigurationItemChangeNotification";
  auto big = json::Document::Parse(InvokingEvent(t, "111111111111", 0));
  ASSERT_TRUE(big.ok());
  const json::Value s = big->Root().Get("configurationItemSummary");
  EXPECT_EQ(s.Get("resourceId").AsText(), "i-1");
  EXPECT_EQ(s.Get("ARN").AsText(), "arn:aws:ec2:us-east-1:111111111111:instance/i-1");
  EXPECT_EQ(s.Get("changeType").AsText(), "CREATE");
  EXPECT_TRUE(s.Get("configuration").Missing());
  EXPECT_EQ(big->Root().Get("messageType").AsText(),
            "OversizedConfigurationItemChangeNotification");

  auto m = ParseLambdaMapping("arn:aws:lambda:us-east-1:1:function:f=/x/rule.py:lambda_handler");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->first, "arn:aws:lambda:us-east-1:1:function:f");
  EXPECT_EQ(m->second.file, "/x/rule.py");
  EXPECT_EQ(m->second.handler, "lambda_handler");
  EXPECT_FALSE(ParseLambdaMapping("arn-without-target").ok());
  EXPECT_FALSE(ParseLambdaMapping("arn=/x/rule.py").ok());  // a Python file needs FUNCTION

  const fs::path dir = fs::path(::testing::TempDir()) / "vigil_lambda_config";
  fs::create_directories(dir);
  std::ofstream(dir / "lambdas.yaml") << "arn:aws:lambda:us-east-1:1:function:f:\n"
                                         "  file: rules/rule.py\n"
                                         "  handler: lambda_handler\n"
                                         "  timeout: 30\n"
                                         "  env: {LEVEL: debug}\n";
  auto config = LoadLambdaConfig((dir / "lambdas.yaml").string());
  ASSERT_TRUE(config.ok()) << config.status().message();
  const LambdaFunction& f = config->at("arn:aws:lambda:us-east-1:1:function:f");
  EXPECT_EQ(f.file, (dir / "rules/rule.py").string());
  EXPECT_EQ(f.handler, "lambda_handler");
  EXPECT_EQ(f.timeout_seconds, 30);
  EXPECT_EQ(f.env.at("LEVEL"), "debug");
  std::ofstream(dir / "bad.json") << R"({"arn:x": {"file": "a.py"}})";
  EXPECT_FALSE(LoadLambdaConfig((dir / "bad.json").string()).ok());  // no handler
  fs::remove_all(dir);
}

}  // namespace
}  // namespace vigil::api
