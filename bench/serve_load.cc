// serve_load: a signed AWS Config load generator for `vigil serve` and moto's server
// (bench/serve/run drives it; docs/PERFORMANCE.md has the figures).
//
//   serve_load --endpoint http://127.0.0.1:4580 --access-key K --secret S [--region R]
//              [--setup] --op OP[:WEIGHT][,OP[:WEIGHT]...] [--connections N]
//              [--seconds S | --requests N] [--label L]
//
// --setup first creates the state the operations need, with one connection: a configuration
// recorder, a delivery channel, the recorder started, the 25 rules bench-rule-00..24 and 25
// third-party resources (Vigil::Bench::Thing r-00..24). The operations then keep that state
// steady, so runs are comparable whatever ran before:
//   PutConfigRule        updates one of the 25 rules (its description changes each call)
//   DescribeConfigRules  all rules (one page of 25)
//   PutEvaluations       one evaluation with TestMode (what moto implements: nothing is kept)
//   PutResourceConfig    a new configuration of one of the connection's own resources
//                        (Vigil::Bench::Thing c<conn>-<k>; every call records an item)
//   ListDiscoveredResources, GetResourceConfigHistory, DescribeComplianceByConfigRule: reads.
// Every reply is checked (HTTP 200 and its body's shape; load_client.h). Prints a line per
// operation (requests/s, errors, p50/p99/p999 latency) and one JSON line with the same figures
// on stdout; exits 1 if any call failed. With --floor-server PORT it is instead a do-nothing
// server on cpp-httplib (the floor of bench/serve/run).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "bench/serve/load_client.h"

namespace {

using vigil::bench::Operation;

std::string Two(std::uint64_t k) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02llu", static_cast<unsigned long long>(k));
  return buf;
}

std::string RuleBody(std::uint64_t k, std::uint64_t version) {
  return R"({"ConfigRule":{"ConfigRuleName":"bench-rule-)" + Two(k % 25) +
         R"(","Description":"version )" + std::to_string(version) +
         R"(","Scope":{"ComplianceResourceTypes":["AWS::S3::Bucket"]},)"
         R"("Source":{"Owner":"AWS","SourceIdentifier":"S3_BUCKET_VERSIONING_ENABLED"}}})";
}

std::string ResourceBody(const std::string& id, std::uint64_t version) {
  // Configuration is a JSON document in a string, as the API wants it.
  return R"({"ResourceType":"Vigil::Bench::Thing","SchemaVersionId":"1","ResourceId":")" + id +
         R"(","ResourceName":")" + id + R"(","Configuration":"{\"version\":)" +
         std::to_string(version) + R"(,\"size\":\"large\",\"enabled\":true}"})";
}

std::optional<Operation> MakeOperation(const std::string& name) {
  Operation op;
  op.name = name;
  if (name == "PutConfigRule") {
    op.body = [](int conn, std::uint64_t i) {
      return RuleBody(static_cast<std::uint64_t>(conn) + i, i);
    };
  } else if (name == "DescribeConfigRules") {
    op.body = [](int, std::uint64_t) { return std::string("{}"); };
  } else if (name == "PutEvaluations") {
    op.body = [](int conn, std::uint64_t i) {
      return R"({"Evaluations":[{"ComplianceResourceType":"AWS::S3::Bucket",)"
             R"("ComplianceResourceId":"bucket-)" +
             std::to_string(conn) + "-" + std::to_string(i % 100) +
             R"(","ComplianceType":"COMPLIANT","OrderingTimestamp":)" +
             std::to_string(vigil::NowMillis() / 1000) +
             R"(}],"ResultToken":"bench-token","TestMode":true})";
    };
  } else if (name == "PutResourceConfig") {
    op.body = [](int conn, std::uint64_t i) {
      return ResourceBody("c" + std::to_string(conn) + "-" + Two(i % 25), i);
    };
  } else if (name == "ListDiscoveredResources") {
    op.body = [](int, std::uint64_t) {
      return std::string(R"({"resourceType":"Vigil::Bench::Thing","limit":25})");
    };
  } else if (name == "GetResourceConfigHistory") {
    op.body = [](int, std::uint64_t i) {
      return R"({"resourceType":"Vigil::Bench::Thing","resourceId":"r-)" + Two(i % 25) +
             R"(","limit":10})";
    };
  } else if (name == "DescribeComplianceByConfigRule") {
    op.body = [](int, std::uint64_t) { return std::string("{}"); };
  } else {
    return std::nullopt;
  }
  return op;
}

// The state every operation expects; false (with a message) on the first failure.
bool Setup(const vigil::bench::Target& target) {
  vigil::bench::Client client(target);
  const auto call = [&client](const std::string& op, const std::string& body) {
    const vigil::bench::Reply r = client.Call(op, body);
    if (r.status != 200) {
      std::fprintf(stderr, "serve_load: setup %s: HTTP %d %s\n", op.c_str(), r.status,
                   r.body.c_str());
      return false;
    }
    return true;
  };
  if (!call("PutConfigurationRecorder",
            R"({"ConfigurationRecorder":{"name":"default","roleARN":)"
            R"("arn:aws:iam::123456789012:role/config-role",)"
            R"("recordingGroup":{"allSupported":true,"includeGlobalResourceTypes":true}}})") ||
      !call("PutDeliveryChannel",
            R"({"DeliveryChannel":{"name":"default","s3BucketName":"bench-bucket"}})") ||
      !call("StartConfigurationRecorder", R"({"ConfigurationRecorderName":"default"})")) {
    return false;
  }
  for (std::uint64_t k = 0; k < 25; ++k) {
    if (!call("PutConfigRule", RuleBody(k, 0))) return false;
    if (!call("PutResourceConfig", ResourceBody("r-" + Two(k), 0))) return false;
  }
  return true;
}

// The floor: the HTTP server alone, configured as src/api/server.cc configures it (32 pool
// threads, keep-alive, TCP_NODELAY), doing nothing per request beside answering. What any
// server built on it can reach on this machine with this client.
int FloorServer(int port) {
  httplib::Server http;
  http.new_task_queue = [] { return new httplib::ThreadPool(32); };
  http.set_read_timeout(10, 0);
  http.set_write_timeout(10, 0);
  http.set_keep_alive_timeout(5);
  http.set_keep_alive_max_count(1000);
  http.set_tcp_nodelay(true);
  http.Post(".*", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"ConfigRules":[{}],"FailedEvaluations":[]})", "application/x-amz-json-1.1");
  });
  return http.listen("127.0.0.1", port) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("serve_load: a signed AWS Config load generator (see bench/serve/run)");
  std::string endpoint = "http://127.0.0.1:4580";
  std::string ops = "DescribeConfigRules";
  std::string label = "target";
  vigil::bench::Target target;
  vigil::bench::LoadOptions options;
  bool setup = false;
  app.add_option("--endpoint", endpoint, "http://HOST:PORT")->capture_default_str();
  app.add_option("--access-key", target.credentials.access_key_id,
                 "Required but with --floor-server");
  app.add_option("--secret", target.credentials.secret_access_key,
                 "Required but with --floor-server");
  app.add_option("--region", target.region)->capture_default_str();
  app.add_flag("--setup", setup, "Create the recorder, channel, 25 rules and 25 resources first");
  app.add_option("--op", ops, "OP[:WEIGHT],... run together (a mix)")->capture_default_str();
  app.add_option("--connections", options.connections, "Keep-alive connections (one thread each)")
      ->capture_default_str();
  app.add_option("--seconds", options.seconds, "Duration")->capture_default_str();
  app.add_option("--requests", options.requests, "Total requests instead of a duration");
  app.add_option("--label", label, "Name of the target in the output")->capture_default_str();
  int floor_port = 0;
  app.add_option("--floor-server", floor_port,
                 "Instead: serve PORT on 127.0.0.1 with cpp-httplib as vigil serve configures it, "
                 "answering every request at once (the HTTP floor)");
  CLI11_PARSE(app, argc, argv);
  if (floor_port > 0) return FloorServer(floor_port);
  if (target.credentials.access_key_id.empty() || target.credentials.secret_access_key.empty()) {
    std::fprintf(stderr, "serve_load: --access-key and --secret are required\n");
    return 2;
  }

  const std::string prefix = "http://";
  std::string hostport = endpoint.rfind(prefix, 0) == 0 ? endpoint.substr(prefix.size()) : endpoint;
  if (!hostport.empty() && hostport.back() == '/') hostport.pop_back();
  const size_t colon = hostport.rfind(':');
  if (colon == std::string::npos) {
    std::fprintf(stderr, "serve_load: --endpoint wants http://HOST:PORT\n");
    return 2;
  }
  target.host = hostport.substr(0, colon);
  target.port = std::stoi(hostport.substr(colon + 1));

  std::vector<Operation> mix;
  for (size_t start = 0; start <= ops.size();) {
    size_t comma = ops.find(',', start);
    if (comma == std::string::npos) comma = ops.size();
    std::string item = ops.substr(start, comma - start);
    start = comma + 1;
    if (item.empty()) continue;
    int weight = 1;
    if (const size_t c = item.find(':'); c != std::string::npos) {
      weight = std::stoi(item.substr(c + 1));
      item.resize(c);
    }
    std::optional<Operation> op = MakeOperation(item);
    if (!op || weight < 1) {
      std::fprintf(stderr, "serve_load: unknown operation or bad weight '%s'\n", item.c_str());
      return 2;
    }
    op->weight = weight;
    mix.push_back(std::move(*op));
  }
  if (mix.empty()) return 2;
  if (setup && !Setup(target)) return 1;

  const vigil::bench::LoadResult r = vigil::bench::RunLoad(target, mix, options);
  std::string json = "{\"label\":\"" + label +
                     "\",\"connections\":" + std::to_string(options.connections) +
                     ",\"seconds\":" + std::to_string(r.seconds) + ",\"ops\":{";
  bool first = true;
  for (const auto& [name, s] : r.ops) {
    const double rps = static_cast<double>(s.requests) / r.seconds;
    std::fprintf(stderr,
                 "%-8s %-32s %9.0f req/s  %8llu ok  %6llu errors  p50 %7u us  p99 %7u us  "
                 "p999 %7u us\n",
                 label.c_str(), name.c_str(), rps, static_cast<unsigned long long>(s.requests),
                 static_cast<unsigned long long>(s.errors), s.Percentile(0.50), s.Percentile(0.99),
                 s.Percentile(0.999));
    if (!s.first_error.empty()) {
      std::fprintf(stderr, "%-8s %-32s first error: %s\n", label.c_str(), name.c_str(),
                   s.first_error.c_str());
    }
    json += std::string(first ? "" : ",") + "\"" + name +
            "\":{\"requests\":" + std::to_string(s.requests) +
            ",\"errors\":" + std::to_string(s.errors) + ",\"rps\":" + std::to_string(rps) +
            ",\"p50_us\":" + std::to_string(s.Percentile(0.50)) +
            ",\"p99_us\":" + std::to_string(s.Percentile(0.99)) +
            ",\"p999_us\":" + std::to_string(s.Percentile(0.999)) + "}";
    first = false;
  }
  json += "},\"requests\":" + std::to_string(r.requests()) +
          ",\"errors\":" + std::to_string(r.errors()) +
          ",\"rps\":" + std::to_string(static_cast<double>(r.requests()) / r.seconds) + "}";
  std::printf("%s\n", json.c_str());
  return r.errors() == 0 ? 0 : 1;
}
