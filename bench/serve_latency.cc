// Change-to-verdict latency of `vigil serve` (issue #5): the time from sending a configuration
// item to receiving, at an EventBridge webhook, the "Config Rules Compliance Change" event its
// evaluation caused: item accepted -> evaluation stored -> event sent.
//
//   serve_latency --port VIGIL_PORT --receiver-port P [--samples N] [--path put|import]
//
// vigil serve must run with `--events-webhook http://127.0.0.1:P/events` and a key
// AKIDBENCH/secretBench for account 111111111111 (bench/serve/latency starts it so). The tool
// starts the webhook receiver on P, sets up a started recorder and a rule, then sends N items one
// at a time, each flipping the rule's verdict, and waits for each one's event:
//   --path put:    PutResourceConfig of a third-party type, judged by a Guard (CUSTOM_POLICY) rule;
//   --path import: VigilService.ImportConfigurationItems of an AWS::EC2::Volume, judged by the
//                  managed rule ENCRYPTED_VOLUMES.
// Prints p50/p90/p99/p99.9/max of (event received - request sent) and of the request's own
// round trip, and a JSON line.
#include <httplib.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/serve/load_client.h"
#include "json/value.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Receiver {
  std::mutex mu;
  std::condition_variable cv;
  std::string want;  // resource id whose compliance event is awaited
  std::string want_compliance;
  bool got = false;
  Clock::time_point at;
};

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5));
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Change-to-verdict latency of vigil serve (item sent -> compliance event received)"};
  int port = 4580, receiver_port = 0, samples = 2000, warmup = 100;
  std::string path = "put";
  app.add_option("--port", port, "vigil serve's port")->required();
  app.add_option("--receiver-port", receiver_port, "Port of the EventBridge webhook receiver")
      ->required();
  app.add_option("--samples", samples, "Items sent (each flips the verdict)")
      ->capture_default_str();
  app.add_option("--warmup", warmup, "Items sent first, not counted")->capture_default_str();
  app.add_option("--path", path, "put (PutResourceConfig + Guard rule) or import (managed rule)")
      ->check(CLI::IsMember({"put", "import"}))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  Receiver rx;
  httplib::Server server;
  server.Post("/events", [&rx](const httplib::Request& req, httplib::Response& res) {
    const auto now = Clock::now();
    res.status = 200;
    auto doc = vigil::json::Document::Parse(req.body);
    if (!doc.ok()) return;
    const vigil::json::Value e = doc->Root();
    if (e.Get("detail-type").AsText() != "Config Rules Compliance Change") return;
    const vigil::json::Value d = e.Get("detail");
    std::lock_guard lock(rx.mu);
    if (d.Get("resourceId").AsText() == rx.want &&
        d.Get("newEvaluationResult").Get("complianceType").AsText() == rx.want_compliance) {
      rx.got = true;
      rx.at = now;
      rx.cv.notify_all();
    }
  });
  if (!server.bind_to_port("127.0.0.1", receiver_port)) {
    std::fprintf(stderr, "serve_latency: cannot listen on port %d\n", receiver_port);
    return 1;
  }
  std::thread listener([&] { server.listen_after_bind(); });

  vigil::bench::Target target;
  target.port = port;
  target.credentials = {"AKIDBENCH", "secretBench"};
  vigil::bench::Client client(target);
  auto must = [&](const std::string& op, const std::string& body) {
    const vigil::bench::Reply r = client.Call(op, body);
    if (r.status != 200) {
      std::fprintf(stderr, "serve_latency: %s failed: HTTP %d %s\n", op.c_str(), r.status,
                   r.body.c_str());
      std::exit(1);
    }
  };
  must(
      "PutConfigurationRecorder",
      R"({"ConfigurationRecorder": {"name": "default", "roleARN": "arn:aws:iam::111111111111:role/c",
           "recordingGroup": {"allSupported": true, "includeGlobalResourceTypes": true}}})");
  must("PutDeliveryChannel", R"({"DeliveryChannel": {"name": "default", "s3BucketName": "b"}})");
  must("StartConfigurationRecorder", R"({"ConfigurationRecorderName": "default"})");
  if (path == "put") {
    must("PutConfigRule", R"({"ConfigRule": {"ConfigRuleName": "widgets-small",
        "Scope": {"ComplianceResourceTypes": ["Acme::Shop::Widget"]},
        "Source": {"Owner": "CUSTOM_POLICY",
          "SourceDetails": [{"EventSource": "aws.config",
                             "MessageType": "ConfigurationItemChangeNotification"}],
          "CustomPolicyDetails": {"PolicyRuntime": "guard-2.x.x",
            "PolicyText": "rule small { configuration.size <= 10 }"}}}})");
  } else {
    must("PutConfigRule", R"({"ConfigRule": {"ConfigRuleName": "encrypted-volumes",
        "Source": {"Owner": "AWS", "SourceIdentifier": "ENCRYPTED_VOLUMES"}}})");
  }

  std::vector<double> event_us, response_us;
  const auto base = std::chrono::system_clock::now();
  for (int i = 0; i < warmup + samples; ++i) {
    const bool compliant = i % 2 == 1;  // the first item of each resource is non-compliant
    const std::string id = "res-" + std::to_string(i / 2);
    std::string op, body;
    if (path == "put") {
      op = "PutResourceConfig";
      body = R"({"ResourceType": "Acme::Shop::Widget", "SchemaVersionId": "1", "ResourceId": ")" +
             id + R"(", "Configuration": "{\"size\": )" + (compliant ? "5" : "50") + R"(}"})";
    } else {
      op = "VigilService.ImportConfigurationItems";
      const auto capture = base + std::chrono::milliseconds(i);
      const long long ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(capture.time_since_epoch()).count();
      body = R"({"ConfigurationItems": [{"awsAccountId": "111111111111", "awsRegion": "us-east-1",
          "resourceType": "AWS::EC2::Volume", "resourceId": ")" +
             id + R"(", "configurationItemCaptureTime": ")" + vigil::FormatIso8601(ms) +
             R"(", "configurationStateId": ")" + std::to_string(ms) +
             R"(", "configurationItemStatus": "OK", "configuration": {"volumeId": ")" + id +
             R"(", "attachments": [{"instanceId": "i-1"}], "encrypted": )" +
             (compliant ? "true" : "false") + "}}]}";
    }
    {
      std::lock_guard lock(rx.mu);
      rx.want = id;
      rx.want_compliance = compliant ? "COMPLIANT" : "NON_COMPLIANT";
      rx.got = false;
    }
    const auto sent = Clock::now();
    const vigil::bench::Reply r = client.Call(op, body);
    const auto answered = Clock::now();
    if (r.status != 200) {
      std::fprintf(stderr, "serve_latency: %s failed: HTTP %d %s\n", op.c_str(), r.status,
                   r.body.c_str());
      return 1;
    }
    std::unique_lock lock(rx.mu);
    if (!rx.cv.wait_for(lock, std::chrono::seconds(10), [&] { return rx.got; })) {
      std::fprintf(stderr, "serve_latency: no compliance event for %s within 10 s\n", id.c_str());
      return 1;
    }
    if (i < warmup) continue;
    event_us.push_back(std::chrono::duration<double, std::micro>(rx.at - sent).count());
    response_us.push_back(std::chrono::duration<double, std::micro>(answered - sent).count());
  }
  server.stop();
  listener.join();
  auto row = [](const char* what, const std::vector<double>& v) {
    std::printf("%-34s p50 %7.0f µs  p90 %7.0f  p99 %7.0f  p99.9 %7.0f  max %7.0f\n", what,
                Percentile(v, 0.5), Percentile(v, 0.9), Percentile(v, 0.99), Percentile(v, 0.999),
                Percentile(v, 1.0));
  };
  std::printf("%d items via %s, one at a time\n", samples, path.c_str());
  row("item sent -> compliance event", event_us);
  row("item sent -> response", response_us);
  std::printf(
      "{\"path\":\"%s\",\"samples\":%d,\"event_p50_us\":%.0f,\"event_p99_us\":%.0f,"
      "\"event_p999_us\":%.0f,\"response_p50_us\":%.0f,\"response_p99_us\":%.0f}\n",
      path.c_str(), samples, Percentile(event_us, 0.5), Percentile(event_us, 0.99),
      Percentile(event_us, 0.999), Percentile(response_us, 0.5), Percentile(response_us, 0.99));
  return 0;
}
