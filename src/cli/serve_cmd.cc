// vigil serve: an AWS Config-compatible endpoint (AWS JSON 1.1, SigV4) over a local store.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include "api/evaluator.h"
#include "api/folder_watch.h"
#include "api/lambda_runner.h"
#include "api/outbox.h"
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
  std::string store;  // --store: where the state lives instead of DATA/vigil-serve.db
  std::int64_t max_config_rules = 1000;
  size_t threads = 32;
  size_t max_body = 8 << 20;
  // Delivery (api/outbox.h).
  std::string buckets;
  std::vector<std::string> topics;  // ARN=URL
  std::vector<std::string> events_webhooks;
  std::string sns_signing_key;
  // Evaluation and the watched folder (api/evaluator.h, api/folder_watch.h).
  std::string watch;
  int watch_interval_ms = 2000;
  // CUSTOM_LAMBDA rules (api/lambda_runner.h).
  std::vector<std::string> lambdas;  // ARN=FILE:FUNCTION
  std::string lambda_config;
  int lambda_timeout = 60;
  size_t lambda_workers = 2;
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
  auto store = api::Store::OpenUri(o.store.empty() ? o.data : o.store, o.durable);
  if (!store.ok()) {
    log::Error("vigil serve: " + store.status().message());
    return kExitUsage;
  }
  api::Limits limits;
  limits.max_config_rules = o.max_config_rules;
  const size_t keys = credentials->size();
  auto delivery = std::make_shared<api::DeliveryConfig>();
  delivery->buckets_dir = o.buckets;
  delivery->event_webhooks = o.events_webhooks;
  delivery->sns_signing_key = o.sns_signing_key;
  for (const std::string& t : o.topics) {
    const size_t eq = t.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == t.size()) {
      log::Error("vigil serve: --topic wants ARN=URL, got '" + t + "'");
      return kExitUsage;
    }
    delivery->topics[t.substr(0, eq)] = t.substr(eq + 1);
  }
  api::SetDeliveryConfig(delivery);
  api::LambdaRunnerOptions lambda_options;
  if (!o.lambda_config.empty()) {
    auto functions = api::LoadLambdaConfig(o.lambda_config);
    if (!functions.ok()) {
      log::Error("vigil serve: " + functions.status().message());
      return kExitUsage;
    }
    lambda_options.functions = std::move(*functions);
  }
  for (const std::string& spec : o.lambdas) {
    auto mapping = api::ParseLambdaMapping(spec);
    if (!mapping.ok()) {
      log::Error("vigil serve: " + mapping.status().message());
      return kExitUsage;
    }
    lambda_options.functions[mapping->first] = std::move(mapping->second);
  }
  if (o.lambda_timeout < 1 || o.lambda_workers < 1) {
    log::Error("vigil serve: --lambda-timeout and --lambda-workers want at least 1");
    return kExitUsage;
  }
  lambda_options.timeout_seconds = o.lambda_timeout;
  lambda_options.workers = o.lambda_workers;
  lambda_options.data_dir = o.data;
  api::Service service(std::move(*credentials), std::move(*store), limits);
  api::OutboxWorker outbox(service.store());
  service.AddCommitListener([&outbox] { outbox.Wake(); });
  api::EvaluationWorker evaluator(service.store(), limits);
  service.AddCommitListener([&evaluator] { evaluator.Wake(); });
  evaluator.SetWake([&outbox] { outbox.Wake(); });
  std::unique_ptr<api::FolderWatcher> watcher;
  if (!o.watch.empty()) {
    const api::CredentialTable& table = service.credentials();
    watcher = std::make_unique<api::FolderWatcher>(
        service.store(), limits, o.watch, o.watch_interval_ms,
        [&table](std::string_view account) { return table.KeyForAccount(account) != nullptr; });
    watcher->SetWake([&evaluator, &outbox] {
      evaluator.Wake();
      outbox.Wake();
      api::WakeLambdaRunners();
    });
  }
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
  // Lambda handlers call back this server: a wildcard listen address is reached on loopback.
  std::string self_host = server_options.host;
  if (self_host.empty() || self_host == "0.0.0.0") self_host = "127.0.0.1";
  if (self_host == "::") self_host = "::1";
  if (self_host.find(':') != std::string::npos) self_host = "[" + self_host + "]";
  lambda_options.endpoint = "http://" + self_host + ":" + std::to_string(server.port());
  api::LambdaRunner lambda_runner(service, std::move(lambda_options));
  if (auto lst = lambda_runner.Start(); !lst.ok()) {
    log::Error("vigil serve: " + lst.message());
    return kExitUsage;
  }
  std::thread waiter([&server, signals] {
    int sig = 0;
    sigwait(&signals, &sig);
    server.Stop();
  });
  outbox.Start();
  evaluator.Start();
  if (watcher) watcher->Start();
  const Status st = server.Run();
  lambda_runner.Stop();
  if (watcher) watcher->Stop();
  evaluator.Stop();
  outbox.Stop();
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
  cmd->add_option("--data", o->data,
                  "Folder for local files and, without --store, the state (SQLite, created if "
                  "missing)");
  cmd->add_option("--store", o->store,
                  "Keep the state here instead: postgresql://USER@HOST/DB (shared by several vigil "
                  "processes) or a folder");
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
  cmd->add_option("--buckets", o->buckets,
                  "Folder standing for S3: the delivery channel's bucket is DIR/<s3BucketName>/");
  cmd->add_option("--topic", o->topics,
                  "ARN=URL: POST the SNS notifications of topic ARN to the webhook URL "
                  "(repeatable)");
  cmd->add_option("--events-webhook", o->events_webhooks,
                  "POST EventBridge events (compliance and configuration item changes) to URL "
                  "(repeatable)");
  cmd->add_option("--sns-signing-key", o->sns_signing_key,
                  "Key for the SNS envelope's Signature (base64 HMAC-SHA256); none: empty");
  cmd->add_option("--watch", o->watch,
                  "Folder in the S3 delivery layout (aws s3 sync of a Config bucket): new item "
                  "files are recorded and evaluated for accounts whose recorder is started");
  cmd->add_option("--watch-interval-ms", o->watch_interval_ms, "How often --watch looks for files")
      ->capture_default_str();
  cmd->add_option("--lambda", o->lambdas,
                  "Run a CUSTOM_LAMBDA rule's function locally: ARN=FILE.py:FUNCTION (or "
                  "ARN=EXECUTABLE); repeatable");
  cmd->add_option("--lambda-config", o->lambda_config,
                  "JSON/YAML file mapping Lambda ARNs to {file, handler, timeout, env}");
  cmd->add_option("--lambda-timeout", o->lambda_timeout,
                  "Seconds a Lambda handler may run before it is killed (per mapping: timeout)")
      ->capture_default_str();
  cmd->add_option("--lambda-workers", o->lambda_workers, "Lambda invocations run at once")
      ->capture_default_str();
  cmd->add_option("--max-body", o->max_body, "Largest request body in bytes (larger: 413)")
      ->capture_default_str();
  cmd->callback([o, &exit_code] { exit_code = o->list_operations ? ListOperations() : Serve(*o); });
}

}  // namespace vigil::cli
