#include "api/evaluator.h"

#include <any>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <unordered_map>

#include "api/ingest.h"
#include "api/lambda_runner.h"
#include "api/outbox.h"
#include "api/records.h"
#include "api/retention.h"
#include "common/log.h"
#include "engine/engine.h"
#include "json/writer.h"
#include "model/config_rule.h"
#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::api {

namespace {

constexpr std::string_view kRuleKind = "config-rule";
constexpr std::string_view kRulesVersionKind = "rules-version";
constexpr std::string_view kJobKind = "evaluation-job";
constexpr std::string_view kTenantKind = "tenant";
constexpr std::string_view kRecorderKind = "recorder";
const Tenant kGlobal{"", ""};

// How often a periodic rule runs, from AWS's MaximumExecutionFrequency names (default 24 hours,
// AWS's default for periodic rules).
EpochMillis FrequencyMillis(std::string_view f) {
  constexpr EpochMillis kHour = 3600 * 1000;
  if (f == "One_Hour") return kHour;
  if (f == "Three_Hours") return 3 * kHour;
  if (f == "Six_Hours") return 6 * kHour;
  if (f == "Twelve_Hours") return 12 * kHour;
  return 24 * kHour;
}

// A tenant's rules as the evaluator runs them.
struct RuleSet {
  std::string version;
  std::vector<engine::ActiveRule> rules;
  // For each rule: evaluated when an item changes; evaluated on a schedule (and how often).
  std::vector<bool> change_triggered;
  std::vector<bool> periodic;
  std::vector<EpochMillis> frequency;
  std::vector<bool> lambda;
  std::unordered_map<std::string, std::vector<size_t>> by_type;
  std::vector<size_t> any_type;  // in scope of every type (no Scope)
  // Rules that read items of a type besides their own (a bucket's rule reads the account's
  // public access block): a new item of that type queues them for a whole run.
  std::unordered_map<std::string, std::vector<size_t>> readers_by_type;
};

// The triggers of a rule: managed rules have AWS's documented trigger; custom rules the message
// types of their SourceDetails.
void Triggers(const engine::ActiveRule& r, bool* change, bool* periodic, EpochMillis* frequency) {
  const model::ConfigRule& c = r.config;
  std::string freq = c.maximum_execution_frequency;
  *change = false;
  *periodic = false;
  if (r.managed != nullptr) {
    // A managed rule scoped to resource types also judges each new item version at once, even
    // when AWS runs it only periodically: the verdict is the one its next periodic run would
    // give, now instead of up to 24 hours later (docs/serve.md). It still runs on its schedule,
    // for rules whose verdict depends on the time (key and certificate ages).
    *change = !r.account_level;
    *periodic = r.managed->trigger != rules::Trigger::kConfigurationChange || r.account_level;
  } else {
    for (const model::SourceDetail& d : c.source_details) {
      if (d.message_type == "ScheduledNotification") {
        *periodic = true;
        if (!d.maximum_execution_frequency.empty()) freq = d.maximum_execution_frequency;
      } else if (d.message_type == "ConfigurationItemChangeNotification" ||
                 d.message_type == "OversizedConfigurationItemChangeNotification") {
        *change = true;
      }
    }
    // A Guard rule without SourceDetails is evaluated on changes, as AWS's default.
    if (c.owner == "CUSTOM_POLICY" && c.source_details.empty()) *change = true;
  }
  *frequency = FrequencyMillis(freq);
}

std::shared_ptr<const RuleSet> BuildRuleSet(Store& store, const Tenant& t, std::string version) {
  auto set = std::make_shared<RuleSet>();
  set->version = std::move(version);
  std::vector<model::ConfigRule> configs;
  for (const Document& d : store.List(t, kRuleKind)) {
    auto doc = json::Document::Parse(d.body);
    if (!doc.ok()) continue;
    auto rule = model::ParseConfigRule(doc->Root());
    if (!rule.ok()) {
      log::Warn("vigil serve: rule '" + d.name +
                "' cannot be evaluated: " + rule.status().message());
      continue;
    }
    configs.push_back(std::move(rule).value());
  }
  std::vector<std::string> errors;
  set->rules = engine::ResolveRules(std::move(configs), errors);
  for (const std::string& e : errors) log::Warn("vigil serve: " + e);
  for (size_t i = 0; i < set->rules.size(); ++i) {
    engine::ActiveRule& r = set->rules[i];
    const bool is_lambda = r.config.owner == "CUSTOM_LAMBDA";
    if (is_lambda) r.resource_types = r.config.scope_resource_types;
    bool change = false, periodic = false;
    EpochMillis freq = 0;
    Triggers(r, &change, &periodic, &freq);
    set->change_triggered.push_back(change && (r.Evaluable() || is_lambda));
    set->periodic.push_back(periodic && (r.Evaluable() || is_lambda));
    set->frequency.push_back(freq);
    set->lambda.push_back(is_lambda);
    if (!r.Evaluable() && !is_lambda) continue;
    if (r.deferred && r.managed != nullptr) {
      for (std::string_view t : r.managed->context_types) {
        set->readers_by_type[std::string(t)].push_back(i);
      }
    }
    if (r.resource_types.empty() && !r.account_level) {
      set->any_type.push_back(i);
    } else {
      for (const std::string& type : r.resource_types) set->by_type[type].push_back(i);
    }
  }
  return set;
}

std::string RulesVersion(Store& store, const Tenant& t) {
  return store.Get(t, kRulesVersionKind, "").value_or("");
}

// Process-wide cache of resolved rules, per tenant.
std::shared_ptr<const RuleSet> Rules(Context& ctx) {
  static std::mutex mu;
  static std::map<std::pair<std::string, std::string>, std::shared_ptr<const RuleSet>> cache;
  const std::string version = RulesVersion(*ctx.store, ctx.tenant);
  const auto key = std::make_pair(ctx.tenant.account_id, ctx.tenant.region);
  {
    std::lock_guard lock(mu);
    auto it = cache.find(key);
    if (it != cache.end() && it->second->version == version) return it->second;
  }
  auto set = BuildRuleSet(*ctx.store, ctx.tenant, version);
  std::lock_guard lock(mu);
  cache[key] = set;
  return set;
}

// Other items and account facts, read from the tenant's store on demand. Lives for one
// evaluation (one item, or one rule over all items): the store's view cannot change meanwhile,
// since it runs inside the transaction.
class StoreEnvironment : public rules::Environment {
 public:
  StoreEnvironment(Context& ctx, EpochMillis now) : ctx_(ctx), now_(now) {}
  EpochMillis Now() const override { return now_; }
  const std::any& Memo(const std::string& key,
                       const std::function<std::any()>& build) const override {
    auto it = memo_.find(key);
    if (it == memo_.end()) it = memo_.emplace(key, build()).first;
    return it->second;
  }
  json::Value Fact(std::string_view name, std::string_view account,
                   std::string_view region) const override {
    if (account != ctx_.tenant.account_id) return {};
    const std::string key(name);
    auto it = facts_.find(key);
    if (it == facts_.end()) {
      std::optional<json::Document> doc;
      std::optional<std::string> body = ctx_.store->Get(ctx_.tenant, kFactKind, key);
      // A global fact (IAM) collected in another region of the account.
      if (!body) body = ctx_.store->Get({ctx_.tenant.account_id, ""}, kFactKind, key);
      if (body) {
        auto parsed = json::Document::Parse(*body);
        if (parsed.ok()) doc = std::move(*parsed);
      }
      it = facts_.emplace(key, std::move(doc)).first;
    }
    (void)region;  // facts are kept per tenant, so per region
    return it->second ? it->second->Root() : json::Value();
  }
  std::vector<const model::ConfigurationItem*> Items(std::string_view type,
                                                     std::string_view account,
                                                     std::string_view region,
                                                     bool* known) const override {
    if (known) *known = false;
    if (account != ctx_.tenant.account_id ||
        (!region.empty() && region != ctx_.tenant.region && region != "global")) {
      return {};
    }
    const std::string key(type);
    auto it = lists_.find(key);
    if (it == lists_.end()) {
      List list;
      for (Document& d :
           ctx_.store->ListPrefix(ctx_.tenant, kResourceKind, Key({type}, /*open=*/true))) {
        list.any = true;
        auto doc = json::Document::Parse(d.body);
        if (!doc.ok()) continue;
        list.docs.push_back(std::move(*doc));
        auto ci = model::ParseItem(list.docs.back().Root(), list.arena);
        if (!ci.ok() || ci->Deleted()) continue;
        list.cis.push_back(std::move(*ci));
      }
      for (const auto& ci : list.cis) list.items.push_back(&ci);
      it = lists_.emplace(key, std::move(list)).first;
    }
    // A recorder recording every supported type would have recorded items of `type` if there
    // were any: an empty list then means there are none.
    if (known) *known = it->second.any || RecordsAllSupported();
    return it->second.items;
  }

 private:
  struct List {
    std::deque<json::Document> docs;
    model::ItemArena arena;
    std::deque<model::ConfigurationItem> cis;
    std::vector<const model::ConfigurationItem*> items;
    bool any = false;
  };
  bool RecordsAllSupported() const {
    if (!all_supported_) {
      all_supported_ = false;
      for (const Document& d : ctx_.store->List(ctx_.tenant, kRecorderKind)) {
        auto doc = json::Document::Parse(d.body);
        if (doc.ok() &&
            doc->Root().Get("recordingGroup").Get("allSupported").Bool().value_or(false)) {
          all_supported_ = true;
        }
      }
    }
    return *all_supported_;
  }
  Context& ctx_;
  EpochMillis now_;
  mutable std::map<std::string, std::any, std::less<>> memo_;
  mutable std::map<std::string, std::optional<json::Document>, std::less<>> facts_;
  mutable std::map<std::string, List, std::less<>> lists_;
  mutable std::optional<bool> all_supported_;
};

// Records one verdict of the engine.
void Record(Context& ctx, const engine::ActiveRule& r, const model::ConfigurationItem& ci,
            rules::Compliance compliance, std::string annotation, EpochMillis ordering) {
  EvaluationRecord rec;
  rec.rule_name = r.config.name;
  rec.resource_type = std::string(ci.resource_type);
  rec.resource_id = std::string(ci.resource_id);
  rec.compliance = std::string(rules::ComplianceName(compliance));
  if (annotation.size() > 256) annotation.resize(256);  // AWS's limit on annotations
  rec.annotation = std::move(annotation);
  rec.ordering_time = ordering;
  rec.invoked_time = ctx.now;
  rec.recorded_time = ctx.now;
  rec.source = "engine";
  PutEvaluation(*ctx.store, ctx.tenant, rec);
}

// Runs rule `r` on `ci` and records the verdict; returns false when a fact was missing (no
// verdict, as AWS gives none without the data).
bool Judge(Context& ctx, const engine::ActiveRule& r, const rules::Environment& env,
           const model::ConfigurationItem& ci, EpochMillis ordering) {
  if (ci.Deleted()) {
    Record(ctx, r, ci, rules::Compliance::kNotApplicable, "The resource was deleted.", ordering);
    return true;
  }
  rules::Verdict v = engine::RunActiveRule(r, env, ci);
  if (v.kind == rules::Verdict::Kind::kMissingFact) return false;
  Record(ctx, r, ci, v.compliance, std::move(v.annotation), ordering);
  return true;
}

std::string Seconds(EpochMillis t) {
  json::Writer w;
  w.Double(EpochSeconds(t));
  return w.Take();
}

// Set when this process queued a job: a wake-up then looks for jobs (requests that queue
// nothing cost the worker nothing). Jobs queued by other processes sharing the store are found
// by the periodic pass.
std::atomic<bool> g_jobs_queued{false};

void QueueJob(Context& ctx, std::string_view rule_name, bool scheduled) {
  g_jobs_queued = true;
  json::Writer w;
  w.BeginObject().Field("scheduled", scheduled).Field("queued", ctx.now).EndObject();
  ctx.store->Put(ctx.tenant, kJobKind, rule_name, w.str());
}

}  // namespace

void UpdateRuleStatus(Context& ctx, std::string_view rule_name,
                      const std::vector<std::pair<std::string, std::string>>& json_members) {
  std::map<std::string, std::string> members;
  if (auto body = ctx.store->Get(ctx.tenant, kRuleStatusKind, rule_name)) {
    auto doc = json::Document::Parse(*body);
    if (doc.ok()) {
      for (const json::Member m : doc->Root().Members()) {
        members[std::string(m.key)] = m.value.ToJson();
      }
    }
  }
  for (const auto& [k, v] : json_members) {
    if (v.empty()) {
      members.erase(k);
    } else {
      members[k] = v;
    }
  }
  json::Writer w;
  w.BeginObject();
  for (const auto& [k, v] : members) w.Key(k).Raw(v);
  w.EndObject();
  ctx.store->Put(ctx.tenant, kRuleStatusKind, rule_name, w.str());
}

void RulesChanged(Context& ctx, std::string_view rule_name) {
  ctx.store->Put(ctx.tenant, kRulesVersionKind, "", std::to_string(ctx.now) + "-" + RandomId(12));
  ctx.store->Put(kGlobal, kTenantKind, Key({ctx.tenant.account_id, ctx.tenant.region}), "{}");
  if (!rule_name.empty()) {
    if (!ctx.store->Get(ctx.tenant, kRuleStatusKind, rule_name)) {
      UpdateRuleStatus(ctx, rule_name, {{"FirstActivatedTime", Seconds(ctx.now)}});
    }
    QueueJob(ctx, rule_name, false);
  }
}

std::vector<Tenant> AccountTenants(Store& store, std::string_view account) {
  std::vector<Tenant> out;
  for (const Document& d : store.ListPrefix(kGlobal, kTenantKind, Key({account}, true))) {
    const std::vector<std::string> parts = SplitKey(d.name);
    if (parts.size() == 2) out.push_back({parts[0], parts[1]});
  }
  return out;
}

void QueueRuleEvaluation(Context& ctx, std::string_view rule_name, bool scheduled) {
  QueueJob(ctx, rule_name, scheduled);
}

void OnItemRecorded(Context& ctx, std::string_view item_json, std::string_view previous_json) {
  // The change goes out (SNS, EventBridge) before the compliance changes it causes.
  QueueConfigurationItemChange(*ctx.store, ctx.tenant, item_json, previous_json, ctx.now);
  const std::shared_ptr<const RuleSet> set = Rules(ctx);
  auto doc = json::Document::Parse(item_json);
  if (!doc.ok()) return;
  model::ItemArena arena;
  auto ci = model::ParseItem(doc->Root(), arena);
  if (!ci.ok()) return;
  std::optional<json::Document> prev_doc;
  model::ItemArena prev_arena;
  std::optional<model::ConfigurationItem> prev;
  if (!previous_json.empty()) {
    auto p = json::Document::Parse(previous_json);
    if (p.ok()) {
      prev_doc = std::move(*p);
      auto parsed = model::ParseItem(prev_doc->Root(), prev_arena);
      if (parsed.ok()) prev = std::move(*parsed);
    }
  }
  StoreEnvironment env(ctx, ctx.now);
  auto consider = [&](size_t i) {
    const engine::ActiveRule& r = set->rules[i];
    if (!set->change_triggered[i]) return;
    const bool in_scope = engine::InRuleScope(r, *ci);
    // An item that left the rule's scope (its tag changed) is judged NOT_APPLICABLE, as AWS
    // does with eventLeftScope.
    const bool left_scope = !in_scope && prev && engine::InRuleScope(r, *prev);
    if (!in_scope && !left_scope) return;
    if (set->lambda[i]) {
      LambdaTrigger t;
      t.rule_name = r.config.name;
      t.message_type = "ConfigurationItemChangeNotification";
      t.configuration_item = std::string(item_json);
      t.previous_item = std::string(previous_json);
      t.event_left_scope = left_scope;
      QueueLambdaInvocation(*ctx.store, ctx.tenant, t, ctx.now);
      return;
    }
    if (left_scope) {
      Record(ctx, r, *ci, rules::Compliance::kNotApplicable,
             "The resource is no longer in the rule's scope.", ci->capture_time);
      return;
    }
    Judge(ctx, r, env, *ci, ci->capture_time);
  };
  if (auto it = set->by_type.find(std::string(ci->resource_type)); it != set->by_type.end()) {
    for (size_t i : it->second) consider(i);
  }
  for (size_t i : set->any_type) consider(i);
  // Verdicts that read this item's type may have changed: judged again by the worker.
  if (auto it = set->readers_by_type.find(std::string(ci->resource_type));
      it != set->readers_by_type.end()) {
    for (size_t i : it->second) {
      if (!ctx.store->Get(ctx.tenant, kJobKind, set->rules[i].config.name)) {
        QueueJob(ctx, set->rules[i].config.name, false);
      }
    }
  }
}

void EvaluateRule(Context& ctx, std::string_view rule_name, bool scheduled) {
  const std::shared_ptr<const RuleSet> set = Rules(ctx);
  size_t index = set->rules.size();
  for (size_t i = 0; i < set->rules.size(); ++i) {
    if (set->rules[i].config.name == rule_name) index = i;
  }
  if (index == set->rules.size()) return;  // deleted meanwhile, or not evaluable
  const engine::ActiveRule& r = set->rules[index];
  if (set->lambda[index]) {
    // A scheduled run invokes the function once, with a ScheduledNotification; any other run
    // (new rule, on demand) invokes it for each recorded resource in scope, as AWS does.
    UpdateRuleStatus(ctx, rule_name, {{"FirstEvaluationStarted", "true"}});
    if (scheduled) {
      if (set->periodic[index]) {
        LambdaTrigger t;
        t.rule_name = r.config.name;
        t.message_type = "ScheduledNotification";
        QueueLambdaInvocation(*ctx.store, ctx.tenant, t, ctx.now);
      }
      return;
    }
    if (set->periodic[index] && !set->change_triggered[index]) {
      LambdaTrigger t;
      t.rule_name = r.config.name;
      t.message_type = "ScheduledNotification";
      QueueLambdaInvocation(*ctx.store, ctx.tenant, t, ctx.now);
      return;
    }
    std::vector<Document> docs;
    if (r.resource_types.empty()) {
      docs = ctx.store->List(ctx.tenant, kResourceKind);
    } else {
      for (const std::string& t : r.resource_types) {
        for (Document& d : ctx.store->ListPrefix(ctx.tenant, kResourceKind, Key({t}, true))) {
          docs.push_back(std::move(d));
        }
      }
    }
    for (const Document& d : docs) {
      auto doc = json::Document::Parse(d.body);
      if (!doc.ok()) continue;
      model::ItemArena arena;
      auto ci = model::ParseItem(doc->Root(), arena);
      if (!ci.ok() || ci->Deleted() || !engine::InRuleScope(r, *ci)) continue;
      LambdaTrigger t;
      t.rule_name = r.config.name;
      t.message_type = "ConfigurationItemChangeNotification";
      t.configuration_item = d.body;
      QueueLambdaInvocation(*ctx.store, ctx.tenant, t, ctx.now);
    }
    return;
  }
  if (!r.Evaluable()) return;
  StoreEnvironment env(ctx, ctx.now);
  size_t judged = 0, missing = 0;
  if (r.account_level) {
    model::ConfigurationItem ci;
    ci.resource_type = "AWS::::Account";
    ci.resource_id = ctx.tenant.account_id;
    ci.account_id = ctx.tenant.account_id;
    ci.region = ctx.tenant.region;
    ci.capture_time = ctx.now;
    (Judge(ctx, r, env, ci, ctx.now) ? judged : missing)++;
  } else {
    std::vector<std::string> prefixes;
    if (r.resource_types.empty()) {
      prefixes.emplace_back();
    } else {
      for (const std::string& t : r.resource_types) prefixes.push_back(Key({t}, /*open=*/true));
    }
    for (const std::string& prefix : prefixes) {
      std::vector<Document> docs = prefix.empty()
                                       ? ctx.store->List(ctx.tenant, kResourceKind)
                                       : ctx.store->ListPrefix(ctx.tenant, kResourceKind, prefix);
      for (const Document& d : docs) {
        auto doc = json::Document::Parse(d.body);
        if (!doc.ok()) continue;
        model::ItemArena arena;
        auto ci = model::ParseItem(doc->Root(), arena);
        if (!ci.ok() || !engine::InRuleScope(r, *ci)) continue;
        (Judge(ctx, r, env, *ci, scheduled ? ctx.now : ci->capture_time) ? judged : missing)++;
      }
    }
  }
  std::vector<std::pair<std::string, std::string>> status = {
      {"LastSuccessfulEvaluationTime", Seconds(ctx.now)}, {"FirstEvaluationStarted", "true"}};
  UpdateRuleStatus(ctx, rule_name, status);
  (void)judged;
  (void)missing;
}

EvaluationWorker::EvaluationWorker(Store& store, const Limits& limits)
    : store_(store), limits_(limits) {}

EvaluationWorker::~EvaluationWorker() { Stop(); }

void EvaluationWorker::Start() {
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void EvaluationWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void EvaluationWorker::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void EvaluationWorker::Loop() {
  EpochMillis last_periodic = 0;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      // Periodic rules are checked every 10 seconds; queued jobs when woken.
      cv_.wait_for(lock, std::chrono::seconds(10), [this] { return stop_ || woken_; });
      if (stop_) return;
      woken_ = false;
    }
    const EpochMillis now = NowMillis();
    const bool periodic = now - last_periodic >= 10 * 1000;
    if (periodic) last_periodic = now;
    if (periodic || g_jobs_queued.exchange(false)) RunOnce(now, periodic);
  }
}

size_t EvaluationWorker::RunOnce(EpochMillis now, bool periodic) {
  std::vector<Document> tenants;
  (void)store_.Transact([&] {
    tenants = store_.List(kGlobal, kTenantKind);
    return true;
  });
  size_t ran = 0;
  for (const Document& td : tenants) {
    const std::vector<std::string> parts = SplitKey(td.name);
    if (parts.size() != 2) continue;
    Context ctx;
    ctx.tenant = {parts[0], parts[1]};
    ctx.now = now;
    ctx.store = &store_;
    ctx.limits = &limits_;
    // Periodic rules that are due get a job.
    if (periodic)
      (void)store_.Transact([&] {
        const std::shared_ptr<const RuleSet> set = Rules(ctx);
        for (size_t i = 0; i < set->rules.size(); ++i) {
          if (!set->periodic[i]) continue;
          const std::string& name = set->rules[i].config.name;
          EpochMillis last = 0;
          if (auto body = store_.Get(ctx.tenant, kRuleStatusKind, name)) {
            auto doc = json::Document::Parse(*body);
            if (doc.ok()) last = doc->Root().Get("vigilLastScheduledRun").Int().value_or(0);
          }
          if (now - last >= set->frequency[i] && !store_.Get(ctx.tenant, kJobKind, name)) {
            QueueJob(ctx, name, true);
          }
        }
        return true;
      });
    std::vector<Document> jobs;
    (void)store_.Transact([&] {
      jobs = store_.List(ctx.tenant, kJobKind);
      // The retention period, applied hourly (writers also prune each resource they write).
      EpochMillis& pruned = last_prune_[td.name];
      if (periodic && now - pruned >= 3600 * 1000) {
        pruned = now;
        PruneHistory(store_, ctx.tenant, now);
      }
      return true;
    });
    for (const Document& job : jobs) {
      const Status st = store_.Transact([&] {
        auto doc = json::Document::Parse(job.body);
        const bool scheduled = doc.ok() && doc->Root().Get("scheduled").Bool().value_or(false);
        EvaluateRule(ctx, job.name, scheduled);
        // Any whole-rule run (the first one, on demand, scheduled) restarts a periodic rule's
        // period, as AWS counts the period from the last evaluation.
        if (ctx.store->Get(ctx.tenant, kRuleKind, job.name)) {
          UpdateRuleStatus(ctx, job.name, {{"vigilLastScheduledRun", std::to_string(ctx.now)}});
        }
        store_.Delete(ctx.tenant, kJobKind, job.name);
        return true;
      });
      if (!st.ok()) log::Error("vigil serve: evaluating rule '" + job.name + "': " + st.message());
      WakeLambdaRunners();  // invocations it queued run now, not at the runners' next poll
      if (wake_) wake_();
      ++ran;
    }
  }
  return ran;
}

}  // namespace vigil::api
