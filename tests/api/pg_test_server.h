// A PostgreSQL server for the tests that run against the PostgreSQL store.
//
// With VIGIL_TEST_PG set (a libpq URI), that server is used. Otherwise the first use starts a
// throwaway server of this process: initdb + postgres from /usr/lib/postgresql/<15 or
// other>/bin in a temporary folder, listening only on a unix socket in that folder (so no port
// can clash with anything), fsync off. As root (CI runs as root; PostgreSQL refuses to) it runs
// as the `postgres` user. The server is stopped when the process exits, and is told to quit
// (PR_SET_PDEATHSIG) if the process dies without stopping it.
//
// Each test gets a schema of its own (NewSchema): the store creates its table there, so tests
// never see each other's documents, on our server or on a shared one.
#pragma once

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <pqxx/pqxx>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace vigil::testing_pg {

class PgTestServer {
 public:
  // The server of this process, started at the first call.
  static PgTestServer& Get() {
    static PgTestServer server;
    return server;
  }

  // True if a server is available; otherwise unavailable() says why.
  bool ok() const { return !base_uri_.empty(); }
  const std::string& unavailable() const { return why_; }

  // A URI for a new, empty schema `vigil_test_<pid>_<n>` (search_path set to it, and
  // application_name set to the schema's name so a test can find its connections); empty, with
  // unavailable() saying why, on failure.
  std::string NewSchema() {
    std::lock_guard lock(mu_);
    if (!ok()) return "";
    const std::string name =
        "vigil_test_" + std::to_string(getpid()) + "_" + std::to_string(schemas_.size());
    try {
      pqxx::connection c(base_uri_);
      pqxx::nontransaction tx(c);
      tx.exec("DROP SCHEMA IF EXISTS " + name + " CASCADE");
      tx.exec("CREATE SCHEMA " + name);
    } catch (const std::exception& e) {
      why_ = std::string("cannot create a schema: ") + e.what();
      return "";
    }
    schemas_.push_back(name);
    return base_uri_ + (base_uri_.find('?') == std::string::npos ? "?" : "&") +
           "options=-csearch_path%3D" + name + "&application_name=" + name;
  }

  // The schema's name in a URI made by NewSchema.
  static std::string SchemaOf(const std::string& uri) {
    return uri.substr(uri.rfind("application_name=") + 17);
  }

  PgTestServer(const PgTestServer&) = delete;
  PgTestServer& operator=(const PgTestServer&) = delete;

 private:
  PgTestServer() {
    if (const char* uri = std::getenv("VIGIL_TEST_PG"); uri != nullptr && *uri != '\0') {
      base_uri_ = uri;
      external_ = true;
      return;
    }
    Start();
  }

  ~PgTestServer() {
    if (external_) {
      // Leave a shared server as we found it.
      try {
        pqxx::connection c(base_uri_);
        pqxx::nontransaction tx(c);
        for (const std::string& s : schemas_) tx.exec("DROP SCHEMA IF EXISTS " + s + " CASCADE");
      } catch (const std::exception&) {
      }
      return;
    }
    if (pid_ > 0) {
      kill(pid_, SIGINT);  // fast shutdown: disconnect clients, stop
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  static std::string Bin(const std::string& tool) {
    namespace fs = std::filesystem;
    const fs::path preferred = fs::path("/usr/lib/postgresql/15/bin") / tool;
    if (fs::exists(preferred)) return preferred.string();
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
      if (fs::exists(entry.path() / "bin" / tool)) return (entry.path() / "bin" / tool).string();
    }
    return "";
  }

  // fork + (as root) switch to the server's user + exec, output to `log`. Everything the child
  // does after fork is async-signal-safe.
  pid_t Spawn(const std::vector<std::string>& args, const std::string& log, bool tie_to_parent) {
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid != 0) return pid;
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    if (run_as_root_) {
      if (setgroups(0, nullptr) != 0 || setgid(gid_) != 0 || setuid(uid_) != 0) _exit(126);
    }
    // After setuid, which clears it: SIGQUIT (immediate shutdown) when this process dies.
    if (tie_to_parent) {
      prctl(PR_SET_PDEATHSIG, SIGQUIT);
      if (getppid() != parent) _exit(125);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }

  static std::string Tail(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
  }

  void Start() {
    const std::string initdb = Bin("initdb"), postgres = Bin("postgres");
    if (initdb.empty() || postgres.empty()) {
      why_ =
          "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (package postgresql) "
          "and VIGIL_TEST_PG is not set";
      return;
    }
    std::string templ = "/tmp/vigil-pg-XXXXXX";
    if (mkdtemp(templ.data()) == nullptr) {
      why_ = "mkdtemp failed";
      return;
    }
    dir_ = templ;
    if (geteuid() == 0) {
      const passwd* pw = getpwnam("postgres");
      if (pw == nullptr) {
        why_ = "running as root, and there is no 'postgres' user to run the server as";
        return;
      }
      run_as_root_ = true;
      uid_ = pw->pw_uid;
      gid_ = pw->pw_gid;
      if (chown(dir_.c_str(), uid_, gid_) != 0) {
        why_ = "cannot chown " + dir_;
        return;
      }
    }
    const std::string data = dir_ + "/data", log = dir_ + "/server.log";
    const pid_t init = Spawn(
        {initdb, "-D", data, "-U", "postgres", "-A", "trust", "-N", "-E", "UTF8", "--locale=C"},
        dir_ + "/initdb.log", false);
    int status = 0;
    if (init < 0 || waitpid(init, &status, 0) != init || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
      why_ = "initdb failed: " + Tail(dir_ + "/initdb.log");
      return;
    }
    const std::string port = std::to_string(20000 + getpid() % 30000);
    pid_ = Spawn({postgres, "-D", data, "-k", dir_, "-p", port, "-c", "listen_addresses=", "-c",
                  "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c",
                  "shared_buffers=16MB", "-c", "max_connections=60"},
                 log, true);
    const std::string uri =
        "postgresql:///postgres?host=" + dir_ + "&port=" + port + "&user=postgres";
    for (int i = 0; i < 600; ++i) {
      if (PQping(uri.c_str()) == PQPING_OK) {
        base_uri_ = uri;
        return;
      }
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    why_ = "the PostgreSQL server did not start: " + Tail(log);
  }

  std::mutex mu_;
  std::string base_uri_;  // empty: no server
  std::string why_;
  bool external_ = false;
  std::string dir_;
  bool run_as_root_ = false;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  pid_t pid_ = -1;
  std::vector<std::string> schemas_;
};

}  // namespace vigil::testing_pg
