// A `vigil serve` process for tests: started on a free port over a test folder (which must
// hold a `credentials` file), stopped (SIGTERM) when destroyed.
#pragma once

#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "../test_util.h"
#include "aws/sigv4.h"
#include "common/time.h"

namespace vigil::testing_util {

namespace fs = std::filesystem;

// One `vigil serve` process on a free port.
class ServeProcess {
 public:
  ~ServeProcess() { Kill(SIGTERM); }

  bool Start(const fs::path& dir, const std::string& extra = "") {
    const fs::path out = dir / "serve.out";
    fs::remove(out);
    pid_ = fork();
    if (pid_ == 0) {
      // No inherited descriptors (a build lock held by the test's parent, say): a server left
      // behind by a killed test must not hold them.
      closefrom(3);
      const std::string cmd = "exec " + (std::string(VIGIL_BINARY_DIR) + "/vigil") +
                              " serve --listen 127.0.0.1:0 --data " + (dir / "data").string() +
                              " --credentials " + (dir / "credentials").string() + " " + extra +
                              " > " + out.string() + " 2> " + (dir / "serve.err").string();
      execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 600; ++i) {
      const std::string text = testing_util::ReadFile(out.string());
      const size_t at = text.find("http://127.0.0.1:");
      if (at != std::string::npos && text.find(' ', at) != std::string::npos) {
        endpoint_ = text.substr(at, text.find(' ', at) - at);
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

  void Kill(int sig) {
    if (pid_ <= 0) return;
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  const std::string& endpoint() const { return endpoint_; }

 private:
  pid_t pid_ = -1;
  std::string endpoint_;
};

// One signed AWS JSON 1.1 call to `endpoint` (http://host:port); `target` is the whole
// X-Amz-Target ("StarlingDoveService.PutConfigRule"). Returns the HTTP status (0: no answer) and
// the body.
inline std::pair<int, std::string> SignedCall(const std::string& endpoint, const std::string& key,
                                              const std::string& secret, const std::string& region,
                                              const std::string& target, std::string body) {
  aws::HttpRequest r;
  r.body = std::move(body);
  const std::string host = endpoint.substr(endpoint.find("://") + 3);
  r.headers = {
      {"Host", host}, {"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", target}};
  aws::Sign(r, {key, secret}, region, "config", NowMillis());
  httplib::Client client(endpoint);
  client.set_read_timeout(120, 0);
  httplib::Headers headers;
  for (const auto& h : r.headers) {
    if (h.name != "Host" && h.name != "Content-Type") headers.emplace(h.name, h.value);
  }
  auto res = client.Post("/", headers, r.body, "application/x-amz-json-1.1");
  if (!res) return {0, ""};
  return {res->status, res->body};
}

}  // namespace vigil::testing_util
