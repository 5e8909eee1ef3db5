// CUSTOM_LAMBDA rules in `vigil serve`: the rule's Lambda ARN is mapped to a local handler, which
// vigil runs as a child process with the event AWS Config sends a Lambda function, credentials
// of the rule's account and a time limit (docs/serve.md, "Custom Lambda rules").
//
// Invocations are durable: QueueLambdaInvocation writes a "lambda-job" document inside the
// caller's transaction (the request that caused it), and a LambdaRunner, woken after every
// committed request, takes jobs, runs the handler and records the outcome in the rule's
// "rule-evaluation-status" document. A job is deleted in the transaction that records its
// outcome, so jobs left by a killed server run again when it starts.
//
// Jobs live under the tenant ("", "") (one queue for the whole store, the tenant inside the
// job), named by queue time so that they run in order.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "api/service.h"
#include "api/store.h"
#include "common/status.h"
#include "common/time.h"

namespace vigil::api {

inline constexpr std::string_view kLambdaJobKind = "lambda-job";
inline constexpr std::string_view kRuleEvaluationStatusKind = "rule-evaluation-status";

struct LambdaTrigger {
  std::string rule_name;  // the config-rule document's name
  // ConfigurationItemChangeNotification, ScheduledNotification or
  // OversizedConfigurationItemChangeNotification.
  std::string message_type;
  // The item JSON, in the event's spelling or the store's (records.h "resource": `accountId`,
  // epoch-second times, `configuration` as a string), which the event is written in AWS's
  // notification spelling; "" for a scheduled notification.
  std::string configuration_item;
  std::string previous_item;  // the item before this change, either spelling; "" if none
  bool event_left_scope = false;
};

// Queues one invocation of `trigger.rule_name`'s function; call inside the Store::Transact of
// the request that causes it.
void QueueLambdaInvocation(Store& store, const Tenant& tenant, const LambdaTrigger& trigger,
                           EpochMillis now);

// Wakes this process's runners if the calling thread queued an invocation since its last call
// (so it is cheap to call after every transaction). Every runner calls it after each committed
// request (Service::AddCommitListener); a background thread that queues invocations calls it
// after its transaction commits, or the runners find the jobs within 2 seconds.
void WakeLambdaRunners();

// The invokingEvent string AWS Config gives the function (exposed for tests).
std::string InvokingEvent(const LambdaTrigger& trigger, const std::string& account_id,
                          EpochMillis now);

// A local stand-in for one Lambda function.
struct LambdaFunction {
  std::string file;         // a .py file (run by vigil's Python shim) or an executable
  std::string handler;      // the Python function's name (unused for executables)
  int timeout_seconds = 0;  // 0: the runner's default
  std::map<std::string, std::string> env;  // the function's environment variables
};

// `ARN=FILE:FUNCTION` (the --lambda option); FUNCTION may be omitted for an executable.
Result<std::pair<std::string, LambdaFunction>> ParseLambdaMapping(std::string_view spec);
// A JSON or YAML file: {"<ARN>": {"file": ..., "handler": ..., "timeout": seconds,
// "env": {...}}, ...}. Relative files are relative to the config file's folder.
Result<std::map<std::string, LambdaFunction>> LoadLambdaConfig(const std::string& path);

struct LambdaRunnerOptions {
  std::map<std::string, LambdaFunction> functions;  // by Lambda ARN
  int timeout_seconds = 60;                         // per invocation, unless the mapping says
  size_t workers = 2;
  std::string endpoint;  // vigil's own URL, e.g. http://127.0.0.1:4580, for the handler's SDK
  std::string data_dir;  // the shim and the logs go to <data_dir>/lambda/
  std::string python = "python3";
};

class LambdaRunner {
 public:
  // `service` must outlive the runner; Start registers a commit listener on it, so call it
  // before the server serves.
  LambdaRunner(Service& service, LambdaRunnerOptions options);
  ~LambdaRunner();
  LambdaRunner(const LambdaRunner&) = delete;
  LambdaRunner& operator=(const LambdaRunner&) = delete;

  // Writes the shim, starts the workers (which first run the jobs already queued).
  Status Start();
  // Stops the workers; a running handler is killed and its job stays queued.
  void Stop();
  // Tells the workers to look for jobs (now, whatever was queued).
  void Wake();
  // True once no job is queued or running (for tests and orderly shutdown), false on timeout.
  bool WaitIdle(std::chrono::milliseconds timeout);

  std::string LogFile(std::string_view function_arn) const;

 private:
  struct Job;
  void Work();
  bool Claim(Job& job);
  void Run(Job& job);

  Service& service_;
  LambdaRunnerOptions options_;
  bool listening_ = false;
  std::string shim_path_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stop_{false};
  std::uint64_t wakes_ = 0;
  std::set<std::string> running_;  // names of the jobs being run
  std::vector<std::thread> workers_;
};

}  // namespace vigil::api
