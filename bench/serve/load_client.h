// A SigV4-signing AWS Config client and a small closed-loop load generator over it, shared by
// bench/serve_load.cc (vigil serve against moto) and tests/api/serve_load_test.cc (the load
// test). Header-only so that the test (always built) and the benchmark (built with Google
// Benchmark) need no extra library target.
//
// Every response is checked: a call counts as a success only with HTTP 200 and the body shape
// its operation promises (e.g. DescribeConfigRules' "ConfigRules" array); anything else, a
// transport failure included, is an error. A fast error is not throughput.
//
// A Client is one keep-alive HTTP/1.1 connection; it is not thread-safe (one per thread).
// RunLoad starts one thread per connection, each issuing its next request as soon as the
// previous one is answered (a closed loop), for a duration or a number of requests.
#pragma once

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "aws/sigv4.h"
#include "common/time.h"
#include "json/value.h"

namespace vigil::bench {

struct Target {
  std::string host = "127.0.0.1";
  int port = 4580;
  std::string region = "us-east-1";
  aws::Credentials credentials;
};

struct Reply {
  int status = 0;  // 0: no HTTP response (connection refused, reset, timeout)
  std::string body;
};

class Client {
 public:
  explicit Client(const Target& target, int timeout_seconds = 30)
      : target_(target), http_(target.host, target.port) {
    http_.set_keep_alive(true);
    http_.set_tcp_nodelay(true);
    http_.set_connection_timeout(timeout_seconds, 0);
    http_.set_read_timeout(timeout_seconds, 0);
    http_.set_write_timeout(timeout_seconds, 0);
    host_ = target.host + ":" + std::to_string(target.port);
  }

  // POST / with X-Amz-Target: StarlingDoveService.<operation> (or `operation` itself when it
  // names its service, as VigilService.ImportConfigurationItems), signed for service "config".
  Reply Call(const std::string& operation, const std::string& body) {
    static constexpr const char* kContentType = "application/x-amz-json-1.1";
    aws::HttpRequest r;
    r.headers = {{"Host", host_},
                 {"Content-Type", kContentType},
                 {"X-Amz-Target", operation.find('.') == std::string::npos
                                      ? "StarlingDoveService." + operation
                                      : operation}};
    r.body = body;
    aws::Sign(r, target_.credentials, target_.region, "config", NowMillis());
    httplib::Headers headers;
    for (const aws::Header& h : r.headers) {
      if (h.name != "Content-Type") headers.emplace(h.name, h.value);
    }
    Reply reply;
    if (auto res = http_.Post("/", headers, body, kContentType)) {
      reply.status = res->status;
      reply.body = std::move(res->body);
    }
    return reply;
  }

 private:
  Target target_;
  httplib::Client http_;
  std::string host_;
};

// What a successful reply of `operation` looks like: HTTP 200 and a JSON object (or, for the
// write operations, an empty body, as moto answers) holding the member each read promises.
inline bool LooksRight(const std::string& operation, const Reply& reply) {
  if (reply.status != 200) return false;
  if (reply.body.empty()) {
    return operation == "PutConfigRule" || operation == "PutResourceConfig" ||
           operation == "PutConfigurationRecorder" || operation == "PutDeliveryChannel" ||
           operation == "StartConfigurationRecorder";
  }
  auto doc = json::Document::Parse(reply.body);
  if (!doc.ok() || !doc->Root().IsObject()) return false;
  const json::Value root = doc->Root();
  static const std::map<std::string, std::string, std::less<>> kArrays = {
      {"DescribeConfigRules", "ConfigRules"},
      {"PutEvaluations", "FailedEvaluations"},
      {"ListDiscoveredResources", "resourceIdentifiers"},
      {"GetResourceConfigHistory", "configurationItems"},
      {"BatchGetResourceConfig", "baseConfigurationItems"},
      {"DescribeComplianceByConfigRule", "ComplianceByConfigRules"},
      {"DescribeComplianceByResource", "ComplianceByResources"},
      {"GetComplianceDetailsByConfigRule", "EvaluationResults"},
      {"DescribeConfigurationRecorderStatus", "ConfigurationRecordersStatus"},
  };
  const auto it = kArrays.find(operation);
  if (it == kArrays.end()) return true;
  const json::Value list = root.Get(it->second);
  if (!list.IsArray()) return false;
  // Nothing fails in the benchmark's PutEvaluations; the reads ask for what exists.
  if (operation == "PutEvaluations") return list.Size() == 0;
  return list.Size() > 0;
}

// One request: the operation and a body for the i-th call of connection `conn`.
struct Operation {
  std::string name;
  std::function<std::string(int conn, std::uint64_t i)> body;
  int weight = 1;
};

struct OpStats {
  std::uint64_t requests = 0;  // answered correctly
  std::uint64_t errors = 0;
  std::vector<std::uint32_t> latencies_us;  // of every call, errors included
  std::string first_error;                  // status and body of the first error

  std::uint32_t Percentile(double p) const {
    if (latencies_us.empty()) return 0;
    const size_t at = std::min(latencies_us.size() - 1,
                               static_cast<size_t>(p * static_cast<double>(latencies_us.size())));
    return latencies_us[at];  // sorted by RunLoad
  }
};

struct LoadOptions {
  int connections = 8;
  double seconds = 10;                // used when requests == 0
  std::uint64_t requests = 0;         // total over all connections; 0: run for `seconds`
  std::atomic<bool>* stop = nullptr;  // optional: set to end the run early
};

struct LoadResult {
  double seconds = 0;
  std::map<std::string, OpStats> ops;
  std::uint64_t requests() const {
    std::uint64_t n = 0;
    for (const auto& kv : ops) n += kv.second.requests;
    return n;
  }
  std::uint64_t errors() const {
    std::uint64_t n = 0;
    for (const auto& kv : ops) n += kv.second.errors;
    return n;
  }
};

// Runs `mix` (chosen by weight, round-robin within each connection) from `options.connections`
// threads, each with its own keep-alive connection, and returns the merged statistics with
// every operation's latencies sorted.
inline LoadResult RunLoad(const Target& target, const std::vector<Operation>& mix,
                          const LoadOptions& options) {
  std::vector<size_t> schedule;  // operation indices, `weight` times each
  for (size_t k = 0; k < mix.size(); ++k) {
    for (int w = 0; w < mix[k].weight; ++w) schedule.push_back(k);
  }
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  const Clock::time_point end = start + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(options.seconds));
  std::atomic<std::uint64_t> issued{0};
  std::vector<std::vector<OpStats>> per_thread(options.connections,
                                               std::vector<OpStats>(mix.size()));
  std::vector<std::thread> threads;
  for (int c = 0; c < options.connections; ++c) {
    threads.emplace_back([&, c] {
      Client client(target);
      std::vector<OpStats>& stats = per_thread[c];
      for (std::uint64_t i = 0;; ++i) {
        if (options.stop != nullptr && options.stop->load()) break;
        if (options.requests > 0) {
          if (issued.fetch_add(1) >= options.requests) break;
        } else if (Clock::now() >= end) {
          break;
        }
        const size_t k = schedule[(i + static_cast<std::uint64_t>(c)) % schedule.size()];
        const std::string body = mix[k].body(c, i);
        const Clock::time_point t0 = Clock::now();
        const Reply reply = client.Call(mix[k].name, body);
        const auto us =
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
        OpStats& s = stats[k];
        s.latencies_us.push_back(static_cast<std::uint32_t>(us));
        if (LooksRight(mix[k].name, reply)) {
          ++s.requests;
        } else {
          ++s.errors;
          if (s.first_error.empty()) {
            s.first_error =
                "HTTP " + std::to_string(reply.status) + ": " + reply.body.substr(0, 300);
          }
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  LoadResult result;
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (size_t k = 0; k < mix.size(); ++k) {
    OpStats& merged = result.ops[mix[k].name];
    for (std::vector<OpStats>& stats : per_thread) {
      OpStats& s = stats[k];
      merged.requests += s.requests;
      merged.errors += s.errors;
      merged.latencies_us.insert(merged.latencies_us.end(), s.latencies_us.begin(),
                                 s.latencies_us.end());
      if (merged.first_error.empty()) merged.first_error = s.first_error;
    }
    std::sort(merged.latencies_us.begin(), merged.latencies_us.end());
  }
  return result;
}

}  // namespace vigil::bench
