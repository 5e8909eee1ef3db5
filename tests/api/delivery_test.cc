// Delivery: SNS notifications and EventBridge events through the outbox to a local HTTP
// receiver (cpp-httplib), retries while the receiver is down, delivery after a restart (in
// process, and `vigil serve` killed with SIGKILL), DeliverConfigSnapshot's file in the bucket
// folder, periodic snapshots and history files.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <libdeflate.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>

#include "../test_util.h"
#include "api/outbox.h"
#include "api/records.h"
#include "service_fixture.h"

namespace vigil::api {
namespace {

using testing_fixture::Reply;
using testing_fixture::ServiceTest;
namespace fs = std::filesystem;

constexpr std::string_view kTopic = "arn:aws:sns:us-east-1:111111111111:config-topic";

struct Received {
  std::string path;
  std::map<std::string, std::string> headers;
  std::string body;
};

// A webhook receiver on a fixed port that can be stopped and started again.
class Receiver {
 public:
  // Picks a free port (bound and released at once, so that nothing listens on it yet).
  Receiver() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port_ = ntohs(addr.sin_port);
    }
    close(fd);
  }
  ~Receiver() { Stop(); }

  void Start() {
    server_ = std::make_unique<httplib::Server>();
    auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      Received r;
      r.path = req.path;
      for (const auto& [k, v] : req.headers) r.headers[ToLowerAscii(k)] = v;
      r.body = req.body;
      std::lock_guard lock(mu_);
      got_.push_back(std::move(r));
      res.set_content("ok", "text/plain");
    };
    // Without it, Nagle's algorithm holds the response's second write until the client's
    // delayed ACK (40 ms), which would be measured as delivery latency.
    server_->set_tcp_nodelay(true);
    server_->Post("/sns", handler);
    server_->Post("/events", handler);
    ASSERT_TRUE(server_->bind_to_port("127.0.0.1", port_));
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void Stop() {
    if (!server_) return;
    server_->stop();
    thread_.join();
    server_.reset();
  }

  std::vector<Received> Got(std::string_view path = {}) {
    std::lock_guard lock(mu_);
    std::vector<Received> out;
    for (const Received& r : got_) {
      if (path.empty() || r.path == path) out.push_back(r);
    }
    return out;
  }
  // Waits (up to 15 s) until `n` requests to `path` arrived.
  std::vector<Received> WaitFor(std::string_view path, size_t n) {
    for (int i = 0; i < 1500; ++i) {
      std::vector<Received> got = Got(path);
      if (got.size() >= n) return got;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return Got(path);
  }
  // The SNS notifications at `path` other than configuration item changes (which every
  // PutResourceConfig also sends), waiting for `n` of them.
  std::vector<Received> WaitForDeliveries(std::string_view path, size_t n) {
    std::vector<Received> out;
    for (int i = 0; i < 1500; ++i) {
      out.clear();
      for (Received& r : Got(path)) {
        if (r.body.find("ConfigurationItemChangeNotification") == std::string::npos) {
          out.push_back(std::move(r));
        }
      }
      if (out.size() >= n) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return out;
  }
  std::string Url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  int port() const { return port_; }

 private:
  static std::string ToLowerAscii(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }
  int port_ = 0;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Received> got_;
};

std::optional<json::Document> Parse(std::string_view text) {
  auto d = json::Document::Parse(text);
  if (!d.ok()) return std::nullopt;
  return std::move(*d);
}

std::string Gunzip(const std::string& path) {
  const std::string gz = testing_util::ReadFile(path);
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  std::string out(std::max<size_t>(gz.size() * 20, 1 << 20), '\0');
  size_t n = 0;
  const auto rc = libdeflate_gzip_decompress(d, gz.data(), gz.size(), out.data(), out.size(), &n);
  libdeflate_free_decompressor(d);
  if (rc != LIBDEFLATE_SUCCESS) return "";
  out.resize(n);
  return out;
}

class DeliveryTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    receiver_.Start();
    auto c = std::make_shared<DeliveryConfig>();
    c->buckets_dir = (dir_ / "buckets").string();
    c->topics[std::string(kTopic)] = receiver_.Url("/sns");
    c->event_webhooks = {receiver_.Url("/events")};
    c->sns_signing_key = "test-key";
    config_ = c;
    StartWorker();
  }
  void TearDown() override {
    StopWorker();
    SetDeliveryConfig(nullptr);
    receiver_.Stop();
    ServiceTest::TearDown();
  }
  void StartWorker() {
    SetDeliveryConfig(config_);
    worker_ = std::make_unique<OutboxWorker>(service_->store());
    OutboxWorker* w = worker_.get();
    service_->AddCommitListener([w] { w->Wake(); });
    worker_->Start();
  }
  void StopWorker() {
    if (worker_) worker_->Stop();
    worker_.reset();
  }
  // A recorder (recording) and a channel with the topic, bucket "my-bucket", prefix "pfx".
  void SetUpChannel(std::string_view extra_channel = "") {
    PutRecorder();
    Reply r = Call("PutDeliveryChannel",
                   R"({"DeliveryChannel": {"name": "default", "s3BucketName": "my-bucket",
                       "s3KeyPrefix": "pfx", "snsTopicARN": ")" +
                       std::string(kTopic) + "\"" + std::string(extra_channel) + "}}");
    ASSERT_EQ(r.status, 200) << r.body;
    r = Call("StartConfigurationRecorder", R"({"ConfigurationRecorderName": "default"})");
    ASSERT_EQ(r.status, 200) << r.body;
    r = Call("PutConfigRule", R"({"ConfigRule": {"ConfigRuleName": "manual",
             "Source": {"Owner": "AWS", "SourceIdentifier": "AWS_CONFIG_PROCESS_CHECK"}}})");
    ASSERT_EQ(r.status, 200) << r.body;
  }
  Reply External(std::string_view id, std::string_view compliance, double ordering) {
    return Call("PutExternalEvaluation",
                R"({"ConfigRuleName": "manual", "ExternalEvaluation": {
                    "ComplianceResourceType": "AWS::::Account", "ComplianceResourceId": ")" +
                    std::string(id) + R"(", "ComplianceType": ")" + std::string(compliance) +
                    R"(", "OrderingTimestamp": )" + std::to_string(ordering) + "}}");
  }
  std::int64_t OutboxCount() {
    std::int64_t n = 0;
    EXPECT_TRUE(service_->store()
                    .Transact([&] {
                      n = service_->store().Count({"", ""}, kOutboxKind);
                      return true;
                    })
                    .ok());
    return n;
  }

  Receiver receiver_;
  std::shared_ptr<const DeliveryConfig> config_;
  std::unique_ptr<OutboxWorker> worker_;
};

TEST_F(DeliveryTest, PutEvaluationsComplianceChangeGoesOutAsSnsAndEventBridge) {
  SetUpChannel();
  PutRule("encrypted");
  const Reply rule = Call("DescribeConfigRules", R"({"ConfigRuleNames": ["encrypted"]})");
  const std::string rule_id = rule.Root().Get("ConfigRules").At(0).Get("ConfigRuleId").AsText();
  const std::string rule_arn = rule.Root().Get("ConfigRules").At(0).Get("ConfigRuleArn").AsText();
  std::string token;
  ASSERT_TRUE(service_->store()
                  .Transact([&] {
                    token = IssueResultToken(service_->store(),
                                             {"111111111111", "us-east-1", "encrypted", rule_id,
                                              now_ - 1000, now_ + 3600000});
                    return true;
                  })
                  .ok());
  auto put = [&](std::string_view compliance, double ordering) {
    return Call("PutEvaluations",
                R"({"ResultToken": ")" + token +
                    R"(", "Evaluations": [{"ComplianceResourceType": "AWS::EC2::Volume",
                    "ComplianceResourceId": "vol-1", "ComplianceType": ")" +
                    std::string(compliance) + R"(", "OrderingTimestamp": )" +
                    std::to_string(ordering) + "}]}");
  };
  ASSERT_EQ(put("NON_COMPLIANT", 1771841000).status, 200);

  std::vector<Received> sns = receiver_.WaitFor("/sns", 1);
  std::vector<Received> events = receiver_.WaitFor("/events", 1);
  ASSERT_EQ(sns.size(), 1u);
  ASSERT_EQ(events.size(), 1u);

  // The SNS HTTP(S) notification as SNS posts it.
  const Received& n = sns[0];
  EXPECT_EQ(n.headers.at("x-amz-sns-message-type"), "Notification");
  EXPECT_EQ(n.headers.at("x-amz-sns-topic-arn"), kTopic);
  EXPECT_EQ(n.headers.at("content-type"), "text/plain; charset=UTF-8");
  auto env = Parse(n.body);
  ASSERT_TRUE(env) << n.body;
  const json::Value e = env->Root();
  EXPECT_EQ(e.Get("Type").AsText(), "Notification");
  EXPECT_EQ(e.Get("MessageId").AsText(), n.headers.at("x-amz-sns-message-id"));
  EXPECT_EQ(e.Get("MessageId").AsText().size(), 36u);
  EXPECT_EQ(e.Get("TopicArn").AsText(), kTopic);
  // SNS subjects have at most 100 characters: AWS Config cuts its subject with "...".
  EXPECT_EQ(e.Get("Subject").AsText(),
            "[AWS Config:us-east-1] AWS::EC2::Volume vol-1 is NON_COMPLIANT with encrypted in "
            "Account 11111111...");
  EXPECT_EQ(e.Get("SignatureVersion").AsText(), "1");
  EXPECT_FALSE(e.Get("Signature").AsText().empty());  // a signing key is configured
  EXPECT_TRUE(e.Get("Timestamp").IsString());
  EXPECT_TRUE(e.Get("SigningCertURL").IsString());
  EXPECT_TRUE(e.Get("UnsubscribeURL").IsString());
  ASSERT_TRUE(e.Get("Message").IsString());
  auto msg = Parse(e.Get("Message").AsText());
  ASSERT_TRUE(msg);
  const json::Value m = msg->Root();
  EXPECT_EQ(m.Get("messageType").AsText(), "ComplianceChangeNotification");
  EXPECT_EQ(m.Get("awsAccountId").AsText(), "111111111111");
  EXPECT_EQ(m.Get("awsRegion").AsText(), "us-east-1");
  EXPECT_EQ(m.Get("configRuleName").AsText(), "encrypted");
  EXPECT_EQ(m.Get("configRuleARN").AsText(), rule_arn);
  EXPECT_EQ(m.Get("resourceType").AsText(), "AWS::EC2::Volume");
  EXPECT_EQ(m.Get("resourceId").AsText(), "vol-1");
  EXPECT_EQ(m.Get("recordVersion").AsText(), "1.0");
  EXPECT_EQ(m.Get("newEvaluationResult").Get("complianceType").AsText(), "NON_COMPLIANT");
  EXPECT_EQ(m.Get("newEvaluationResult")
                .Get("evaluationResultIdentifier")
                .Get("evaluationResultQualifier")
                .Get("resourceId")
                .AsText(),
            "vol-1");
  EXPECT_EQ(m.Get("newEvaluationResult")
                .Get("evaluationResultIdentifier")
                .Get("orderingTimestamp")
                .AsText(),
            FormatIso8601(1771841000000));
  EXPECT_TRUE(m.Get("oldEvaluationResult").IsNull());
  EXPECT_TRUE(m.Get("notificationCreationTime").IsString());

  // The EventBridge event.
  auto ev = Parse(events[0].body);
  ASSERT_TRUE(ev) << events[0].body;
  const json::Value v = ev->Root();
  EXPECT_EQ(v.Get("version").AsText(), "0");
  EXPECT_EQ(v.Get("detail-type").AsText(), "Config Rules Compliance Change");
  EXPECT_EQ(v.Get("source").AsText(), "aws.config");
  EXPECT_EQ(v.Get("account").AsText(), "111111111111");
  EXPECT_EQ(v.Get("region").AsText(), "us-east-1");
  EXPECT_TRUE(v.Get("resources").IsArray());
  EXPECT_EQ(v.Get("id").AsText().size(), 36u);
  const json::Value d = v.Get("detail");
  EXPECT_EQ(d.Get("messageType").AsText(), "ComplianceChangeNotification");
  EXPECT_EQ(d.Get("configRuleARN").AsText(), rule_arn);
  EXPECT_EQ(d.Get("resourceType").AsText(), "AWS::EC2::Volume");
  EXPECT_EQ(d.Get("newEvaluationResult").Get("complianceType").AsText(), "NON_COMPLIANT");
  EXPECT_EQ(events[0].headers.at("content-type"), "application/json; charset=utf-8");

  // The same compliance again is no change; a new one says what it was before.
  ASSERT_EQ(put("NON_COMPLIANT", 1771841100).status, 200);
  ASSERT_EQ(put("COMPLIANT", 1771841200).status, 200);
  sns = receiver_.WaitFor("/sns", 2);
  events = receiver_.WaitFor("/events", 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_EQ(receiver_.Got("/sns").size(), 2u);
  ASSERT_EQ(receiver_.Got("/events").size(), 2u);
  auto env2 = Parse(sns[1].body);
  ASSERT_TRUE(env2);
  auto msg2 = Parse(env2->Root().Get("Message").AsText());
  ASSERT_TRUE(msg2);
  EXPECT_EQ(msg2->Root().Get("newEvaluationResult").Get("complianceType").AsText(), "COMPLIANT");
  EXPECT_EQ(msg2->Root().Get("oldEvaluationResult").Get("complianceType").AsText(),
            "NON_COMPLIANT");
  EXPECT_EQ(OutboxCount(), 0);

  const Reply status = Call("DescribeDeliveryChannelStatus", "{}");
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_EQ(status.Root()
                .Get("DeliveryChannelsStatus")
                .At(0)
                .Get("configStreamDeliveryInfo")
                .Get("lastStatus")
                .AsText(),
            "SUCCESS");
  const OutboxStats stats = worker_->Stats();
  EXPECT_GE(stats.delivered, 4u);
  std::printf("outbox latency (queued -> 2xx): p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
              stats.p50_ms, stats.p99_ms, stats.max_ms);
}

TEST_F(DeliveryTest, ReceiverDownMessagesArriveLaterInOrderNoneLost) {
  SetUpChannel();
  receiver_.Stop();
  for (int i = 0; i < 6; ++i) {
    ASSERT_EQ(
        External("res-" + std::to_string(i), i % 2 ? "COMPLIANT" : "NON_COMPLIANT", 1771841000 + i)
            .status,
        200);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_EQ(OutboxCount(), 12);  // kept while the receiver is down
  const Reply failing = Call("DescribeDeliveryChannelStatus", "{}");
  EXPECT_EQ(failing.Root()
                .Get("DeliveryChannelsStatus")
                .At(0)
                .Get("configStreamDeliveryInfo")
                .Get("lastStatus")
                .AsText(),
            "FAILURE");
  EXPECT_GE(worker_->Stats().failed_attempts, 2u);

  receiver_.Start();
  const std::vector<Received> sns = receiver_.WaitFor("/sns", 6);
  const std::vector<Received> events = receiver_.WaitFor("/events", 6);
  ASSERT_EQ(sns.size(), 6u);
  ASSERT_EQ(events.size(), 6u);
  for (int i = 0; i < 6; ++i) {
    auto env = Parse(sns[i].body);
    ASSERT_TRUE(env);
    auto msg = Parse(env->Root().Get("Message").AsText());
    ASSERT_TRUE(msg);
    EXPECT_EQ(msg->Root().Get("resourceId").AsText(), "res-" + std::to_string(i));
    auto ev = Parse(events[i].body);
    ASSERT_TRUE(ev);
    EXPECT_EQ(ev->Root().Get("detail").Get("resourceId").AsText(), "res-" + std::to_string(i));
  }
  for (int i = 0; i < 100 && OutboxCount() != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(OutboxCount(), 0);
}

TEST_F(DeliveryTest, QueuedMessagesSurviveARestart) {
  SetUpChannel();
  receiver_.Stop();
  ASSERT_EQ(External("acct-1", "NON_COMPLIANT", 1771841000).status, 200);
  ASSERT_EQ(External("acct-1", "COMPLIANT", 1771841001).status, 200);
  StopWorker();
  EXPECT_EQ(OutboxCount(), 4);
  Open();  // a new Service over the same store: a restarted server
  receiver_.Start();
  StartWorker();
  const std::vector<Received> events = receiver_.WaitFor("/events", 2);
  ASSERT_EQ(events.size(), 2u);
  auto first = Parse(events[0].body);
  auto second = Parse(events[1].body);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->Root().Get("detail").Get("newEvaluationResult").Get("complianceType").AsText(),
            "NON_COMPLIANT");
  EXPECT_EQ(second->Root().Get("detail").Get("newEvaluationResult").Get("complianceType").AsText(),
            "COMPLIANT");
  EXPECT_EQ(receiver_.WaitFor("/sns", 2).size(), 2u);
}

TEST_F(DeliveryTest, DeliverConfigSnapshotWritesTheS3Layout) {
  SetUpChannel();
  for (const char* id : {"thing-1", "thing-2"}) {
    const Reply r = Call("PutResourceConfig",
                         R"({"ResourceType": "MyCorp::Service::Thing", "SchemaVersionId": "v1",
                             "ResourceId": ")" +
                             std::string(id) + R"(", "Configuration": "{\"size\": 3}"})");
    ASSERT_EQ(r.status, 200) << r.body;
  }
  EXPECT_TRUE(fs::exists(dir_ / "buckets/my-bucket/pfx/AWSLogs/111111111111/Config/"
                                "ConfigWritabilityCheckFile"));
  EXPECT_EQ(Call("DeliverConfigSnapshot", R"({"deliveryChannelName": "nope"})").type,
            "NoSuchDeliveryChannelException");
  const Reply r = Call("DeliverConfigSnapshot", R"({"deliveryChannelName": "default"})");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string id = r.Root().Get("configSnapshotId").AsText();
  ASSERT_EQ(id.size(), 36u);
  const std::string key =
      "pfx/AWSLogs/111111111111/Config/us-east-1/2026/2/23/ConfigSnapshot/"
      "111111111111_Config_us-east-1_ConfigSnapshot_20260223T101530Z_" +
      id + ".json.gz";
  const fs::path file = dir_ / "buckets/my-bucket" / key;
  ASSERT_TRUE(fs::exists(file)) << file;
  const std::string text = Gunzip(file.string());
  auto doc = Parse(text);
  ASSERT_TRUE(doc) << text;
  EXPECT_EQ(doc->Root().Get("fileVersion").AsText(), "1.0");
  EXPECT_EQ(doc->Root().Get("configSnapshotId").AsText(), id);
  const json::Value items = doc->Root().Get("configurationItems");
  ASSERT_EQ(items.Size(), 2u);
  EXPECT_EQ(items.At(0).Get("resourceType").AsText(), "MyCorp::Service::Thing");
  EXPECT_EQ(items.At(0).Get("resourceId").AsText(), "thing-1");
  EXPECT_EQ(items.At(0).Get("awsAccountId").AsText(), "111111111111");
  EXPECT_EQ(items.At(0).Get("awsRegion").AsText(), "us-east-1");
  EXPECT_EQ(items.At(1).Get("configuration").Get("size").Int(), 3);
  EXPECT_EQ(items.At(1).Get("configurationItemCaptureTime").AsText(), FormatIso8601(now_));

  // Started, then Completed naming the object.
  const std::vector<Received> sns = receiver_.WaitForDeliveries("/sns", 2);
  ASSERT_EQ(sns.size(), 2u);
  auto started = Parse(Parse(sns[0].body)->Root().Get("Message").AsText());
  auto completed = Parse(Parse(sns[1].body)->Root().Get("Message").AsText());
  ASSERT_TRUE(started && completed);
  EXPECT_EQ(started->Root().Get("messageType").AsText(), "ConfigurationSnapshotDeliveryStarted");
  EXPECT_EQ(started->Root().Get("configSnapshotId").AsText(), id);
  EXPECT_EQ(completed->Root().Get("messageType").AsText(),
            "ConfigurationSnapshotDeliveryCompleted");
  EXPECT_EQ(completed->Root().Get("s3ObjectKey").AsText(), key);
  EXPECT_EQ(completed->Root().Get("s3Bucket").AsText(), "my-bucket");

  const Reply status = Call("DescribeDeliveryChannelStatus", "{}");
  const json::Value info =
      status.Root().Get("DeliveryChannelsStatus").At(0).Get("configSnapshotDeliveryInfo");
  EXPECT_EQ(info.Get("lastStatus").AsText(), "SUCCESS");
  EXPECT_EQ(info.Get("lastSuccessfulTime").Number(), EpochSeconds(now_));
}

TEST_F(DeliveryTest, PeriodicSnapshotAndHistoryFiles) {
  SetUpChannel(R"(, "configSnapshotDeliveryProperties": {"deliveryFrequency": "One_Hour"})");
  const Reply r = Call("PutResourceConfig", R"({"ResourceType": "MyCorp::Service::Thing",
      "SchemaVersionId": "v1", "ResourceId": "t1", "Configuration": "{\"a\": 1}"})");
  ASSERT_EQ(r.status, 200) << r.body;
  RunScheduledDeliveries(service_->store(), now_ - 1);  // the scheduler first sees the channel
  RunScheduledDeliveries(service_->store(), now_ + 1800000);  // half an hour: nothing due
  const fs::path region_dir = dir_ / "buckets/my-bucket/pfx/AWSLogs/111111111111/Config/us-east-1";
  EXPECT_FALSE(fs::exists(region_dir));
  RunScheduledDeliveries(service_->store(), now_ + 7 * 3600000);  // snapshot and history due
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(region_dir)) {
    if (e.is_regular_file()) files.push_back(fs::relative(e.path(), region_dir).string());
  }
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].rfind("2026/2/23/ConfigHistory/111111111111_Config_us-east-1_ConfigHistory_"
                           "MyCorp::Service::Thing_20260223T101529Z_20260223T171530Z_1.json.gz",
                           0),
            0u)
      << files[0];
  EXPECT_EQ(files[1].rfind("2026/2/23/ConfigSnapshot/111111111111_Config_us-east-1_ConfigSnapshot_"
                           "20260223T171530Z_",
                           0),
            0u)
      << files[1];
  worker_->Wake();  // as the scheduler does after its deliveries
  auto history = Parse(Gunzip((region_dir / files[0]).string()));
  ASSERT_TRUE(history);
  EXPECT_EQ(history->Root().Get("configurationItems").Size(), 1u);
  EXPECT_EQ(history->Root().Get("configurationItems").At(0).Get("resourceId").AsText(), "t1");
  const std::vector<Received> sns = receiver_.WaitForDeliveries("/sns", 3);
  bool history_done = false;
  for (const Received& n : sns) {
    auto m = Parse(Parse(n.body)->Root().Get("Message").AsText());
    history_done |=
        m && m->Root().Get("messageType").AsText() == "ConfigurationHistoryDeliveryCompleted";
  }
  EXPECT_TRUE(history_done);
  const Reply status = Call("DescribeDeliveryChannelStatus", "{}");
  EXPECT_EQ(status.Root()
                .Get("DeliveryChannelsStatus")
                .At(0)
                .Get("configHistoryDeliveryInfo")
                .Get("lastStatus")
                .AsText(),
            "SUCCESS");
}

TEST_F(DeliveryTest, ConfigurationItemChangeAndOversizedNotification) {
  SetUpChannel();
  const std::string before =
      R"({"version":"1.3","accountId":"111111111111","configurationItemStatus":"ResourceDiscovered",
          "resourceType":"AWS::S3::Bucket","resourceId":"b1","arn":"arn:aws:s3:::b1",
          "awsRegion":"us-east-1","configuration":"{\"versioning\":\"Off\",\"acl\":\"private\"}",
          "vigilCaptureMillis":1771841000000,"vigilState":1})";
  const std::string after =
      R"({"version":"1.3","accountId":"111111111111","configurationItemStatus":"OK",
          "resourceType":"AWS::S3::Bucket","resourceId":"b1","arn":"arn:aws:s3:::b1",
          "awsRegion":"us-east-1","configuration":"{\"versioning\":\"Enabled\",\"acl\":\"private\"}",
          "vigilCaptureMillis":1771842000000,"vigilState":2})";
  const std::string huge =
      R"({"version":"1.3","accountId":"111111111111","configurationItemStatus":"OK",
          "resourceType":"AWS::S3::Bucket","resourceId":"b1","arn":"arn:aws:s3:::b1",
          "awsRegion":"us-east-1","configuration":{"blob":")" +
      std::string(300 * 1024, 'x') + R"("},"vigilCaptureMillis":1771843000000,"vigilState":3})";
  ASSERT_TRUE(service_->store()
                  .Transact([&] {
                    QueueConfigurationItemChange(service_->store(), {"111111111111", "us-east-1"},
                                                 after, before, now_);
                    QueueConfigurationItemChange(service_->store(), {"111111111111", "us-east-1"},
                                                 huge, after, now_);
                    return true;
                  })
                  .ok());
  worker_->Wake();
  const std::vector<Received> sns = receiver_.WaitFor("/sns", 2);
  const std::vector<Received> events = receiver_.WaitFor("/events", 2);
  ASSERT_EQ(sns.size(), 2u);
  ASSERT_EQ(events.size(), 2u);
  auto env = Parse(sns[0].body);
  ASSERT_TRUE(env);
  EXPECT_EQ(env->Root().Get("Subject").AsText(),
            "[AWS Config:us-east-1] AWS::S3::Bucket b1 Updated in Account 111111111111");
  auto msg = Parse(env->Root().Get("Message").AsText());
  ASSERT_TRUE(msg);
  const json::Value m = msg->Root();
  EXPECT_EQ(m.Get("messageType").AsText(), "ConfigurationItemChangeNotification");
  EXPECT_EQ(m.Get("configurationItemDiff").Get("changeType").AsText(), "UPDATE");
  const json::Value changed =
      m.Get("configurationItemDiff").Get("changedProperties").Get("Configuration.Versioning");
  EXPECT_EQ(changed.Get("previousValue").AsText(), "Off");
  EXPECT_EQ(changed.Get("updatedValue").AsText(), "Enabled");
  EXPECT_TRUE(
      m.Get("configurationItemDiff").Get("changedProperties").Get("Configuration.Acl").Missing());
  EXPECT_EQ(m.Get("configurationItem").Get("ARN").AsText(), "arn:aws:s3:::b1");
  EXPECT_EQ(m.Get("configurationItem").Get("awsAccountId").AsText(), "111111111111");
  EXPECT_EQ(m.Get("configurationItem").Get("configuration").Get("versioning").AsText(), "Enabled");

  auto ev = Parse(events[0].body);
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->Root().Get("detail-type").AsText(), "Config Configuration Item Change");
  EXPECT_EQ(ev->Root().Get("resources").At(0).AsText(), "arn:aws:s3:::b1");
  EXPECT_EQ(ev->Root().Get("detail").Get("messageType").AsText(),
            "ConfigurationItemChangeNotification");

  auto big = Parse(Parse(sns[1].body)->Root().Get("Message").AsText());
  ASSERT_TRUE(big);
  EXPECT_EQ(big->Root().Get("messageType").AsText(),
            "OversizedConfigurationItemChangeNotification");
  EXPECT_EQ(big->Root().Get("configurationItemSummary").Get("resourceId").AsText(), "b1");
  const std::string location =
      big->Root().Get("s3DeliverySummary").Get("s3BucketLocation").AsText();
  ASSERT_EQ(location.rfind("my-bucket/pfx/AWSLogs/111111111111/Config/us-east-1/2026/2/23/"
                           "OversizedChangeNotification/AWS::S3::Bucket/b1/",
                           0),
            0u)
      << location;
  auto full = Parse(Gunzip((dir_ / "buckets" / location).string()));
  ASSERT_TRUE(full);
  EXPECT_EQ(full->Root().Get("configurationItem").Get("configuration").Get("blob").AsText().size(),
            300u * 1024);
  EXPECT_LT(sns[1].body.size(), 256u * 1024);
}

// `vigil serve` killed with SIGKILL after acknowledging changes: after a restart the events
// still go out, in order.
TEST(DeliveryServe, KillDashNineThenRestartDeliversAcknowledgedChanges) {
  const std::string vigil = std::string(VIGIL_BINARY_DIR) + "/vigil";
  if (!fs::exists(vigil)) GTEST_SKIP() << "no vigil binary";
  const fs::path dir =
      fs::path(::testing::TempDir()) / ("vigil_delivery_kill9_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "credentials") << "AKIDA secretA 111111111111\n";
  Receiver receiver;  // down for now

  auto start = [&](pid_t& pid) -> std::string {
    const fs::path out = dir / "serve.out";
    fs::remove(out);
    pid = fork();
    if (pid == 0) {
      // Inherit no descriptor (a build lock held by whoever runs the tests, sockets).
      for (int fd = 3; fd < 1024; ++fd) close(fd);
      const std::string cmd =
          "exec " + vigil + " serve --listen 127.0.0.1:0 --data " + (dir / "data").string() +
          " --credentials " + (dir / "credentials").string() + " --events-webhook " +
          receiver.Url("/events") + " > " + out.string() + " 2> " + (dir / "serve.err").string();
      execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 600; ++i) {
      const std::string text = testing_util::ReadFile(out.string());
      const size_t at = text.find("http://127.0.0.1:");
      if (at != std::string::npos && text.find(' ', at) != std::string::npos) {
        return text.substr(at + 17, text.find(' ', at) - at - 17);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return "";
  };
  auto call = [](const std::string& port, const std::string& op, const std::string& body) {
    aws::HttpRequest r;
    r.body = body;
    r.headers = {{"Host", "127.0.0.1:" + port},
                 {"Content-Type", "application/x-amz-json-1.1"},
                 {"X-Amz-Target", "StarlingDoveService." + op}};
    aws::Sign(r, {"AKIDA", "secretA"}, "us-east-1", "config", NowMillis());
    httplib::Client client("127.0.0.1", std::stoi(port));
    httplib::Headers headers;
    for (const auto& h : r.headers) {
      if (h.name != "Content-Type") headers.emplace(h.name, h.value);  // Post sets it
    }
    auto res = client.Post("/", headers, r.body, "application/x-amz-json-1.1");
    EXPECT_TRUE(res && res->status == 200) << op << ": " << (res ? res->body : "no response");
    return res ? res->status : -1;
  };

  pid_t pid = -1;
  // The server never outlives the test, whichever assertion ends it.
  struct Reaper {
    pid_t& pid;
    ~Reaper() {
      if (pid > 0) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
      }
    }
  } reaper{pid};
  std::string port = start(pid);
  ASSERT_FALSE(port.empty()) << testing_util::ReadFile((dir / "serve.err").string());
  ASSERT_EQ(call(port, "PutConfigRule", R"({"ConfigRule": {"ConfigRuleName": "manual",
      "Source": {"Owner": "AWS", "SourceIdentifier": "AWS_CONFIG_PROCESS_CHECK"}}})"),
            200);
  const char* kinds[] = {"NON_COMPLIANT", "COMPLIANT", "NON_COMPLIANT"};
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(call(port, "PutExternalEvaluation",
                   R"({"ConfigRuleName": "manual", "ExternalEvaluation": {
                       "ComplianceResourceType": "AWS::::Account",
                       "ComplianceResourceId": "111111111111", "ComplianceType": ")" +
                       std::string(kinds[i]) + R"(", "OrderingTimestamp": )" +
                       std::to_string(1771841000 + i) + "}}"),
              200);
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  pid = -1;
  EXPECT_TRUE(receiver.Got().empty());

  receiver.Start();
  port = start(pid);
  ASSERT_FALSE(port.empty());
  const std::vector<Received> events = receiver.WaitFor("/events", 3);
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  pid = -1;
  ASSERT_EQ(events.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    auto ev = Parse(events[i].body);
    ASSERT_TRUE(ev);
    EXPECT_EQ(ev->Root().Get("detail").Get("newEvaluationResult").Get("complianceType").AsText(),
              kinds[i]);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace vigil::api
