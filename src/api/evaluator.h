// Continuous evaluation in `vigil serve`: the rule engine runs on every new configuration item
// as it is recorded, on demand (StartConfigRulesEvaluation, a new or changed rule), and on the
// rules' schedules.
//
// - Change-triggered rules in scope of a new item version are evaluated inside the transaction
//   that records the item (OnItemRecorded): the item and its verdicts are committed together, and
//   the verdict is stored before the request is acknowledged. AWS managed rules and Guard
//   (CUSTOM_POLICY) rules run in-process; CUSTOM_LAMBDA rules are queued for the Lambda runner.
// - Rules that read other items (a bucket's account-level public access block, a security
//   group's network interfaces) read them from the store, through StoreEnvironment.
// - Whole-rule evaluations (a rule was created or changed, StartConfigRulesEvaluation, a periodic
//   rule is due) are queued as "evaluation-job" documents and run by the EvaluationWorker in
//   transactions of their own, so a request never waits for a rule to go through every resource.
//
// The resolved rules of a tenant are cached per process and rebuilt when the tenant's
// "rules-version" document changes: every writer of "config-rule" documents calls RulesChanged
// in the same transaction.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "api/operation.h"
#include "api/store.h"
#include "common/time.h"

namespace vigil::api {

inline constexpr std::string_view kRuleStatusKind = "rule-evaluation-status";

// Marks the tenant's rules as changed (call in the transaction that wrote a "config-rule"
// document) and queues the evaluation of `rule_name` (empty: none) over the tenant's items.
void RulesChanged(Context& ctx, std::string_view rule_name = {});

// A new version of an item was stored as the resource's current item: `item_json` and
// `previous_json` ("" if none) are the stored documents (records.h "resource" kind). Evaluates
// the change-triggered rules in scope and records their verdicts; queues Lambda invocations.
void OnItemRecorded(Context& ctx, std::string_view item_json, std::string_view previous_json);

// The tenants (regions) of `account` that have rules.
std::vector<Tenant> AccountTenants(Store& store, std::string_view account);

// Queues a whole-rule evaluation (StartConfigRulesEvaluation); `scheduled` for a periodic run.
void QueueRuleEvaluation(Context& ctx, std::string_view rule_name, bool scheduled);

// Evaluates `rule_name` over every current item in its scope (or, for an account-level or
// periodic rule, the account), as one job of the worker. Exposed for tests.
void EvaluateRule(Context& ctx, std::string_view rule_name, bool scheduled);

// Reads and updates a rule's "rule-evaluation-status" document (AWS's ConfigRuleEvaluationStatus
// members, timestamps in epoch seconds).
void UpdateRuleStatus(Context& ctx, std::string_view rule_name,
                      const std::vector<std::pair<std::string, std::string>>& json_members);

// Runs queued whole-rule evaluations and periodic rules when they are due. One per process.
class EvaluationWorker {
 public:
  EvaluationWorker(Store& store, const Limits& limits);
  ~EvaluationWorker();
  // Called after each job (wakes the outbox, whose messages the job may have queued).
  void SetWake(std::function<void()> wake) { wake_ = std::move(wake); }
  void Start();
  void Stop();
  // Something may have been queued: look now.
  void Wake();
  // Runs the queued jobs, and with `periodic` also queues the periodic rules that are due (and
  // applies retention), on the calling thread. Returns the number of jobs run.
  size_t RunOnce(EpochMillis now, bool periodic = true);

 private:
  void Loop();
  Store& store_;
  const Limits& limits_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stop_ = false;
  std::thread thread_;
  std::map<std::string, EpochMillis> last_prune_;
  std::function<void()> wake_;  // per tenant (RunOnce's thread only)
};

}  // namespace vigil::api
