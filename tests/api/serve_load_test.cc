// The load test of issue #5: the real `vigil serve` under a steady stream of PutResourceConfig
// and queries from several connections must answer every call correctly with flat memory, and
// slow clients (one that sends half a request and stalls, one that reads its responses very
// slowly) must not hold up the others.
//
// VIGIL_LOAD_SECONDS sets the length of the steady stream (default 60 s, the CI budget; the
// documented manual run, docs/PERFORMANCE.md, uses 600).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../../bench/serve/load_client.h"
#include "../test_util.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;
using bench::Client;
using bench::Operation;
using bench::Target;
using testing_util::ReadFile;

const std::string kVigil = std::string(VIGIL_BINARY_DIR) + "/vigil";

// `vigil serve` on a free port, as a direct child (so its pid is the server's, for /proc).
class LoadServer {
 public:
  ~LoadServer() { Stop(); }

  bool Start(const fs::path& dir) {
    dir_ = dir;
    std::ofstream(dir / "credentials") << "AKIDLOAD secretL 444444444444\n";
    pid_ = fork();
    if (pid_ == 0) {
      const std::string out = (dir / "serve.out").string();
      const std::string err = (dir / "serve.err").string();
      if (!freopen(out.c_str(), "w", stdout) || !freopen(err.c_str(), "w", stderr)) _exit(126);
      // Under AddressSanitizer (the dev preset) freed memory waits in a 256 MB quarantine, which
      // alone would make the RSS grow for minutes; a small one keeps use-after-free checks and
      // lets the memory settle within the warm-up. Ignored by builds without ASan.
      const char* asan = std::getenv("ASAN_OPTIONS");
      const std::string options = std::string(asan != nullptr ? asan : "") +
                                  (asan != nullptr && *asan != '\0' ? ":" : "") +
                                  "quarantine_size_mb=4:thread_local_quarantine_size_kb=64";
      setenv("ASAN_OPTIONS", options.c_str(), 1);
      const std::string data = (dir / "data").string();
      const std::string credentials = (dir / "credentials").string();
      execl(kVigil.c_str(), "vigil", "serve", "--listen", "127.0.0.1:0", "--data", data.c_str(),
            "--credentials", credentials.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 600; ++i) {
      const std::string text = ReadFile((dir / "serve.out").string());
      const size_t at = text.find("http://127.0.0.1:");
      if (at != std::string::npos && text.find(' ', at) != std::string::npos) {
        port_ = std::atoi(text.c_str() + at + 17);
        return true;
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  // Stops the server (SIGTERM, a clean exit) and returns its exit status: nonzero also when
  // LeakSanitizer found leaks at exit in a sanitized build.
  int Stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  // The server's resident set in KiB (VmRSS), or -1.
  long RssKib() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    }
    return -1;
  }

  Target target() const {
    Target t;
    t.port = port_;
    t.credentials = {"AKIDLOAD", "secretL"};
    return t;
  }
  std::string Errors() const { return ReadFile((dir_ / "serve.err").string()); }

 private:
  fs::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

std::string Num(std::uint64_t k) { return std::to_string(k); }

// Resources spread over many ids, so that each one's history (which GetResourceConfigHistory
// reads whole) grows slowly; every other call repeats the previous configuration of its
// resource and records nothing, as AWS does for an unchanged resource.
constexpr std::uint64_t kResourcesPerConnection = 250;
constexpr int kConnections = 4;

std::string ResourceBody(int conn, std::uint64_t i) {
  const std::uint64_t k = i % kResourcesPerConnection;
  const std::uint64_t version = (i / kResourcesPerConnection) / 2;
  return R"({"ResourceType":"Vigil::Load::Thing","SchemaVersionId":"1","ResourceId":"c)" +
         std::to_string(conn) + "-" + Num(k) + R"(","Configuration":"{\"version\":)" +
         Num(version) + R"(,\"owner\":\"team-)" + Num(k % 7) + R"(\"}","Tags":{"env":"load"}})";
}

std::vector<Operation> SteadyMix() {
  std::vector<Operation> mix;
  mix.push_back({"PutResourceConfig", &ResourceBody, 6});
  mix.push_back({"ListDiscoveredResources",
                 [](int, std::uint64_t) {
                   return std::string(R"({"resourceType":"Vigil::Load::Thing","limit":50})");
                 },
                 1});
  mix.push_back({"GetResourceConfigHistory",
                 [](int conn, std::uint64_t i) {
                   // One of this connection's resources (all recorded by SetUp).
                   const std::uint64_t k = (i * 7) % kResourcesPerConnection;
                   return R"({"resourceType":"Vigil::Load::Thing","resourceId":"c)" +
                          std::to_string(conn) + "-" + Num(k) + R"(","limit":5})";
                 },
                 1});
  mix.push_back({"DescribeConfigRules", [](int, std::uint64_t) { return std::string("{}"); }, 1});
  mix.push_back(
      {"DescribeComplianceByConfigRule", [](int, std::uint64_t) { return std::string("{}"); }, 1});
  mix.push_back({"GetComplianceDetailsByConfigRule",
                 [](int, std::uint64_t) {
                   return std::string(
                       R"({"ConfigRuleName":"load-manual-0","ComplianceTypes":["NON_COMPLIANT"]})");
                 },
                 1});
  return mix;
}

class ServeLoad : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kVigil)) GTEST_SKIP() << kVigil << " is not built";
    dir_ = fs::path(::testing::TempDir()) / ("vigil_serve_load_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ASSERT_TRUE(server_.Start(dir_)) << server_.Errors();
    Client c(server_.target());
    const auto ok = [&c](const std::string& op, const std::string& body) {
      const bench::Reply r = c.Call(op, body);
      EXPECT_EQ(r.status, 200) << op << ": " << r.body;
    };
    ok("PutConfigurationRecorder",
       R"({"ConfigurationRecorder":{"name":"default","roleARN":"arn:aws:iam::444444444444:role/c",)"
       R"("recordingGroup":{"allSupported":true,"includeGlobalResourceTypes":true}}})");
    ok("PutDeliveryChannel", R"({"DeliveryChannel":{"name":"default","s3BucketName":"b"}})");
    ok("StartConfigurationRecorder", R"({"ConfigurationRecorderName":"default"})");
    // Process-check rules take results by PutExternalEvaluation, which gives the compliance
    // queries something to aggregate.
    for (int r = 0; r < 10; ++r) {
      const std::string name = "load-manual-" + std::to_string(r);
      ok("PutConfigRule", R"({"ConfigRule":{"ConfigRuleName":")" + name +
                              R"(","Source":{"Owner":"AWS",)"
                              R"("SourceIdentifier":"AWS_CONFIG_PROCESS_CHECK"}}})");
      for (int k = 0; k < 20; ++k) {
        ok("PutExternalEvaluation",
           R"({"ConfigRuleName":")" + name +
               R"(","ExternalEvaluation":{"ComplianceResourceType":"AWS::::Account",)"
               R"("ComplianceResourceId":"acct-)" +
               std::to_string(k) + R"(","ComplianceType":")" +
               (k % 3 == 0 ? "NON_COMPLIANT" : "COMPLIANT") + R"(","OrderingTimestamp":)" +
               std::to_string(NowMillis() / 1000) + "}}");
      }
    }
    // Every resource of the load's connections exists before it starts.
    for (int conn = 0; conn < kConnections; ++conn) {
      for (std::uint64_t k = 0; k < kResourcesPerConnection; ++k) {
        ok("PutResourceConfig", ResourceBody(conn, k));
      }
    }
  }
  void TearDown() override {
    server_.Stop();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  fs::path dir_;
  LoadServer server_;
};

// The RSS growth allowed between the first and the last third of the run (after warm-up). The
// store keeps everything on disk (one SQLite connection, its page cache bounded at the default
// 2 MiB), so what grows with the data is the file, not the process: the release build's RSS
// settles within seconds (22 MB, +1 MB over the first minute, then flat). 16 MiB: a leak of
// 100 bytes a request passes it within the default minute at the release build's rate (~2,000
// requests a second). Under AddressSanitizer (the dev preset, as CI runs it) the allocator maps
// its size classes and records allocation stacks lazily, and the RSS climbs for about a
// minute before it settles (measured: 227 -> 270 MB in 40 s, then +10 MB in 100 s), so the
// bound is 48 MiB there and leaks are left to LeakSanitizer, which checks the server at exit.
#if defined(__SANITIZE_ADDRESS__)
constexpr long kMaxGrowthKib = 48 * 1024;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr long kMaxGrowthKib = 48 * 1024;
#else
constexpr long kMaxGrowthKib = 16 * 1024;
#endif
#else
constexpr long kMaxGrowthKib = 16 * 1024;
#endif

double LoadSeconds() {
  const char* env = std::getenv("VIGIL_LOAD_SECONDS");
  const double s = env != nullptr ? std::atof(env) : 0;
  return s > 0 ? s : 60;
}

long Median(std::vector<long> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

TEST_F(ServeLoad, SteadyStreamHasNoErrorsAndFlatMemory) {
  const double seconds = LoadSeconds();
  std::atomic<bool> done{false};
  std::vector<long> rss;  // KiB, one sample a second
  std::thread sampler([&] {
    while (!done.load()) {
      rss.push_back(server_.RssKib());
      for (int i = 0; i < 10 && !done.load(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  });
  bench::LoadOptions options;
  options.connections = kConnections;
  options.seconds = seconds;
  const bench::LoadResult result = bench::RunLoad(server_.target(), SteadyMix(), options);
  done = true;
  sampler.join();

  for (const auto& [name, s] : result.ops) {
    EXPECT_EQ(s.errors, 0u) << name << ": " << s.first_error;
    EXPECT_GT(s.requests, 0u) << name;
    std::printf("%-34s %8.0f req/s  p50 %6u us  p99 %7u us  p999 %7u us\n", name.c_str(),
                static_cast<double>(s.requests) / result.seconds, s.Percentile(0.5),
                s.Percentile(0.99), s.Percentile(0.999));
  }
  // Memory: the first sixth of the run is warm-up (SQLite's page cache, malloc arenas and the
  // connection threads' stacks fill up); after it, the median RSS of the last third may exceed
  // that of the first third by at most kMaxGrowthKib.
  ASSERT_GE(rss.size(), 6u);
  const size_t warm = rss.size() / 6;
  const size_t third = (rss.size() - warm) / 3;
  const std::vector<long> early(rss.begin() + static_cast<long>(warm),
                                rss.begin() + static_cast<long>(warm + third));
  const std::vector<long> late(rss.end() - static_cast<long>(third), rss.end());
  const long growth = Median(late) - Median(early);
  std::printf("RSS (KiB): start %ld, early median %ld, late median %ld, max %ld, growth %ld\n",
              rss.front(), Median(early), Median(late), *std::max_element(rss.begin(), rss.end()),
              growth);
  EXPECT_LT(growth, kMaxGrowthKib) << "the server's memory grows under a steady load";
  // A clean exit; in the sanitized build LeakSanitizer checks the whole run at exit.
  EXPECT_EQ(server_.Stop(), 0) << server_.Errors();
}

// A raw TCP connection to the server.
int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// The wire form of a signed request.
std::string RawRequest(const Target& t, const std::string& op, const std::string& body) {
  aws::HttpRequest r;
  r.headers = {{"Host", "127.0.0.1:" + std::to_string(t.port)},
               {"Content-Type", "application/x-amz-json-1.1"},
               {"X-Amz-Target", "StarlingDoveService." + op}};
  r.body = body;
  aws::Sign(r, t.credentials, t.region, "config", NowMillis());
  std::string wire = "POST / HTTP/1.1\r\n";
  for (const aws::Header& h : r.headers) wire += h.name + ": " + h.value + "\r\n";
  wire += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return wire;
}

// Whether the server has closed `fd` (reading gives end of file or an error) within `ms`.
bool ClosedWithin(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  char buf[4096];
  do {
    if (poll(&p, 1, std::min(ms, 100)) > 0 && recv(fd, buf, sizeof buf, 0) <= 0) return true;
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

TEST_F(ServeLoad, SlowClientsDoNotBlockOthers) {
  const Target t = server_.target();
  std::vector<Operation> reads;
  reads.push_back({"DescribeConfigRules", [](int, std::uint64_t) { return std::string("{}"); }, 1});
  reads.push_back({"PutResourceConfig", &ResourceBody, 1});
  bench::LoadOptions options;
  options.connections = kConnections;
  options.seconds = 3;
  const bench::LoadResult before = bench::RunLoad(t, reads, options);
  ASSERT_EQ(before.errors(), 0u);

  // Slow senders: half a request each (headers promising 1000 bytes of body, 10 sent), then
  // nothing.
  std::vector<int> stalled;
  for (int i = 0; i < 4; ++i) {
    const int fd = Connect(t.port);
    ASSERT_GE(fd, 0);
    std::string wire = RawRequest(t, "DescribeConfigRules", std::string(1000, ' '));
    wire.resize(wire.size() - 990);
    ASSERT_EQ(send(fd, wire.data(), wire.size(), MSG_NOSIGNAL), static_cast<ssize_t>(wire.size()));
    stalled.push_back(fd);
  }
  // Slow readers: a small receive buffer, 2,000 pipelined requests whose ~1 MB of answers
  // (the 10 rules, each time) are read 64 bytes every 50 ms — the server's writes block.
  std::vector<int> slow_readers;
  std::atomic<bool> stop_reading{false};
  std::vector<std::thread> readers;
  for (int i = 0; i < 2; ++i) {
    const int fd = Connect(t.port);
    ASSERT_GE(fd, 0);
    const int small = 4096;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    slow_readers.push_back(fd);
    readers.emplace_back([fd, t, &stop_reading] {
      std::string wire;
      for (int k = 0; k < 2000; ++k) wire += RawRequest(t, "DescribeConfigRules", "{}");
      // The send itself stalls once the server stops reading (it is blocked writing).
      std::thread sender([fd, wire] {
        send(fd, wire.data(), wire.size(), MSG_NOSIGNAL);  // may fail when the server closes
      });
      char buf[64];
      while (!stop_reading.load()) {
        if (recv(fd, buf, sizeof buf, MSG_DONTWAIT) == 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      shutdown(fd, SHUT_RDWR);
      sender.join();
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  const bench::LoadResult during = bench::RunLoad(t, reads, options);
  // The slow senders still hold their connections (the server has not given up on them yet):
  // the measurement above ran while they stalled.
  for (const int fd : stalled) EXPECT_FALSE(ClosedWithin(fd, 0));
  EXPECT_EQ(during.errors(), 0u);
  for (const auto& [name, s] : during.ops) {
    const std::uint32_t p99_before = before.ops.at(name).Percentile(0.99);
    std::printf("%-20s p99 before %6u us, during slow clients %6u us, max %6u us\n", name.c_str(),
                p99_before, s.Percentile(0.99), s.latencies_us.back());
    // Blocked behind a slow client would mean waiting for its 10 s read timeout.
    EXPECT_LT(s.latencies_us.back(), 2'000'000u) << name;
    EXPECT_LT(s.Percentile(0.99), std::max<std::uint32_t>(10 * p99_before, 100'000)) << name;
  }
  // The read timeout frees the stalled connections' threads (10 s, server.h).
  for (const int fd : stalled) {
    EXPECT_TRUE(ClosedWithin(fd, 20'000)) << "a half-sent request holds its connection forever";
    close(fd);
  }
  stop_reading = true;
  for (std::thread& r : readers) r.join();
  for (const int fd : slow_readers) close(fd);
}

}  // namespace
}  // namespace vigil
