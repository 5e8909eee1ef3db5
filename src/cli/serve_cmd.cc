// vigil serve: an AWS Config-compatible endpoint (AWS JSON 1.1, SigV4) over a local store.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <memory>
#include <thread>

#include "api/server.h"
#include "api/service.h"
#include "cli/commands.h"
#include "common/log.h"

namespace vigil::cli {

namespace {

struct ServeOptions {
  std::string listen = "127.0.0.1:4580";
  std::string data;
  std::string credentials;
  bool list_operations = false;
  bool durable = false;
  std::int64_t max_config_rules = 1000;
  size_t threads = 32;
  size_t max_body = 8 << 20;
};

int ListOperations() {
  size_t implemented = 0;
  const auto ops = api::Service::ListOperations();
  for (const auto& [name, done] : ops) {
    std::printf("%-52s %s\n", name.c_str(), done ? "implemented" : "not implemented");
    implemented += done;
  }
  std::printf("%zu of %zu operations implemented\n", implemented, ops.size());
  return kExitOk;
}

int Serve(const ServeOptions& o) {
  if (o.data.empty() || o.credentials.empty()) {
    log::Error("vigil serve: --data and --credentials are required");
    return kExitUsage;
  }
  const size_t colon = o.listen.rfind(':');
  if (colon == std::string::npos) {
    log::Error("vigil serve: --listen wants HOST:PORT, got '" + o.listen + "'");
    return kExitUsage;
  }
  api::ServerOptions server_options;
  server_options.host = o.listen.substr(0, colon);
  try {
    server_options.port = std::stoi(o.listen.substr(colon + 1));
  } catch (const std::exception&) {
    server_options.port = -1;
  }
  if (server_options.port < 0 || server_options.port > 65535) {
    log::Error("vigil serve: bad port in --listen '" + o.listen + "'");
    return kExitUsage;
  }
  server_options.threads = o.threads;
  server_options.max_body_bytes = o.max_body;
  auto credentials = api::CredentialTable::Load(o.credentials);
  if (!credentials.ok()) {
    log::Error("vigil serve: " + credentials.status().message());
    return kExitUsage;
  }
  auto store = api::Store::Open(o.data, o.durable);
  if (!store.ok()) {
    log::Error("vigil serve: " + store.status().message());
    return kExitUsage;
  }
  api::Limits limits;
  limits.max_config_rules = o.max_config_rules;
  const size_t keys = credentials->size();
  api::Service service(std::move(*credentials), std::move(*store), limits);
  api::Server server(service, server_options);

  // SIGINT and SIGTERM stop the server cleanly: blocked here (and so in every thread started
  // later) and waited for on a thread of their own.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (auto st = server.Bind(); !st.ok()) {
    log::Error("vigil serve: " + st.message());
    return kExitUsage;
  }
  std::printf("vigil serve: listening on http://%s:%d (%zu access keys, data in %s)\n",
              server_options.host.c_str(), server.port(), keys, o.data.c_str());
  std::fflush(stdout);
  std::thread waiter([&server, signals] {
    int sig = 0;
    sigwait(&signals, &sig);
    server.Stop();
  });
  const Status st = server.Run();
  // Wake the waiter if the server stopped by itself.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  if (!st.ok()) {
    log::Error("vigil serve: " + st.message());
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

void AddServe(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Run an AWS Config-compatible API endpoint (AWS JSON 1.1, SigV4 authentication)");
  cmd->add_option("--listen", o->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  cmd->add_option("--data", o->data, "Folder for the state (SQLite, created if missing)");
  cmd->add_option("--credentials", o->credentials,
                  "File of access keys, one per line: ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID");
  cmd->add_flag("--list-operations", o->list_operations,
                "Print every AWS Config operation and whether vigil implements it");
  cmd->add_flag("--durable", o->durable,
                "fsync every write (survives power loss, not only a killed process)");
  cmd->add_option("--max-config-rules", o->max_config_rules,
                  "Config rules allowed per account and region (AWS: 1000)")
      ->capture_default_str();
  cmd->add_option("--threads", o->threads, "Connection threads")->capture_default_str();
  cmd->add_option("--max-body", o->max_body, "Largest request body in bytes (larger: 413)")
      ->capture_default_str();
  cmd->callback([o, &exit_code] { exit_code = o->list_operations ? ListOperations() : Serve(*o); });
}

}  // namespace vigil::cli
