#include "engine/engine.h"

#include <algorithm>
#include <any>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <set>
#include <thread>
#include <tuple>

#include "common/log.h"
#include "common/strings.h"

namespace vigil::engine {

std::string_view StringArena::Copy(std::string_view s) {
  if (s.empty()) return {};
  if (used_ + s.size() > cap_) {
    cap_ = std::max<size_t>(s.size(), huge_ ? kHugePage : size_t{1} << 20);
    char* block = static_cast<char*>(huge_ ? AllocateHuge(cap_) : std::malloc(cap_));
    if (block == nullptr) throw std::bad_alloc();
    blocks_.emplace_back(block);
    if (blocks_.size() == 1) first_cap_ = cap_;
    used_ = 0;
  }
  char* p = blocks_.back().get() + used_;
  std::memcpy(p, s.data(), s.size());
  used_ += s.size();
  return {p, s.size()};
}

void StringArena::Reset() {
  if (blocks_.empty()) return;
  blocks_.resize(1);
  cap_ = first_cap_;
  used_ = 0;
}

std::uint32_t Interner::Id(std::string_view s) {
  auto it = ids_.find(s);
  if (it != ids_.end()) return it->second;
  names_.emplace_back(s);
  const auto id = static_cast<std::uint32_t>(names_.size() - 1);
  ids_.emplace(names_.back(), id);
  return id;
}

std::uint64_t ResourceIndex::Hash(std::uint32_t account, std::uint32_t region, std::uint32_t type,
                                  std::string_view id) {
  std::uint64_t h = std::hash<std::string_view>{}(id);
  h ^= (std::uint64_t{account} << 40) ^ (std::uint64_t{region} << 20) ^ type;
  // splitmix64 finaliser: spreads the id ranks over all bits.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

void ResourceIndex::Reserve(size_t n) {
  size_t cap = 16;
  while (cap < n * 2) cap <<= 1;
  if (cap > slots_.size()) Rehash(cap);
}

void ResourceIndex::Rehash(size_t capacity) {
  auto old = std::move(slots_);
  slots_.assign(capacity, Slot{});
  const size_t mask = capacity - 1;
  for (const Slot& s : old) {
    if (s.index == kEmpty) continue;
    size_t i = s.hash & mask;
    while (slots_[i].index != kEmpty) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

std::uint32_t ResourceIndex::FindOrInsert(
    std::uint64_t hash, std::uint32_t account, std::uint32_t region, std::uint32_t type,
    std::string_view id, const std::vector<Resource, HugePageAllocator<Resource>>& resources,
    std::uint32_t fresh, bool* inserted) {
  if ((used_ + 1) * 2 > slots_.size()) Rehash(slots_.empty() ? 1024 : slots_.size() * 2);
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.index == kEmpty) {
      s = {hash, fresh};
      ++used_;
      *inserted = true;
      return fresh;
    }
    if (s.hash != hash) continue;
    const Resource& r = resources[s.index];
    if (r.account == account && r.region == region && r.type == type && r.id == id) {
      *inserted = false;
      return s.index;
    }
  }
}

namespace {

// Whether the rule, with these parameters, reads items of its context types.
bool ReadsContext(const rules::ManagedRule& m, const model::ConfigRule& c) {
  if (m.context_types.empty()) return false;
  if (m.context_param.empty()) return true;
  for (const auto& [name, value] : c.input_parameters)
    if (name == m.context_param && !Trim(value).empty()) return true;
  const rules::ParamSpec* spec = m.FindParam(m.context_param);
  return spec != nullptr && !spec->default_value.empty();
}

}  // namespace

std::vector<ActiveRule> ResolveRules(std::vector<model::ConfigRule> configs,
                                     std::vector<std::string>& errors) {
  std::vector<ActiveRule> out;
  std::set<std::string> names;
  for (auto& c : configs) {
    const std::string who = "rule '" + c.name + "'";
    if (!names.insert(c.name).second) {
      errors.push_back(who + ": defined twice; ConfigRuleName must be unique");
      continue;
    }
    ActiveRule r;
    if (c.owner == "CUSTOM_LAMBDA") {
      r.note = "custom Lambda rule: runs under `vigil serve` (not in `vigil evaluate` yet)";
    } else if (c.owner == "CUSTOM_POLICY") {
      if (!c.policy_runtime.empty() && !StartsWith(c.policy_runtime, "guard-2.")) {
        errors.push_back(who + ": PolicyRuntime '" + c.policy_runtime +
                         "' is not supported (AWS Config accepts guard-2.x.x)");
        continue;
      }
      auto policy = GuardPolicy::Compile(c.name, c.policy_text);
      if (!policy.ok()) {
        errors.push_back(policy.status().message());
        continue;
      }
      r.policy = std::move(policy).value();
      r.resource_types = c.scope_resource_types;
    } else if (c.source_identifier == "AWS_CONFIG_PROCESS_CHECK") {
      r.manual = true;
    } else {
      r.managed = rules::FindRule(c.source_identifier);
      std::span<const rules::ParamSpec> specs;
      if (r.managed != nullptr) {
        specs = r.managed->parameters;
      } else if (const auto* entry = rules::FindCatalogueEntry(c.source_identifier)) {
        specs = entry->parameters;
        r.note = "AWS managed rule " + c.source_identifier + " is not implemented in vigil yet";
      } else {
        errors.push_back(who + ": unknown managed-rule identifier '" + c.source_identifier +
                         "' (see `vigil rules list` for the 822 AWS identifiers)");
        continue;
      }
      auto problems = rules::ValidateParams(c.source_identifier, specs, c.input_parameters);
      if (!problems.empty()) {
        for (auto& p : problems) errors.push_back(who + " (" + c.source_identifier + "): " + p);
        continue;
      }
    }
    if (r.managed != nullptr) {
      r.account_level = r.managed->resource_types.empty();
      r.deferred = ReadsContext(*r.managed, c);
      if (c.scope_resource_types.empty()) {
        for (auto t : r.managed->resource_types) r.resource_types.emplace_back(t);
      } else {
        for (const auto& t : c.scope_resource_types) {
          const auto& supported = r.managed->resource_types;
          if (r.account_level ||
              std::find(supported.begin(), supported.end(), t) != supported.end()) {
            r.resource_types.push_back(t);
          } else {
            log::Warn(who + ": " + c.source_identifier + " does not evaluate " + t +
                      "; that scope entry is ignored");
          }
        }
        if (r.account_level) r.resource_types.clear();
      }
    }
    for (const auto& [name, value] : c.input_parameters)
      if (value.find("${AWS::AccountId}") != std::string::npos ||
          value.find("${AWS::Region}") != std::string::npos)
        r.pseudo_params = true;
    r.config = std::move(c);
    out.push_back(std::move(r));
  }
  return out;
}

// The environment rules see: facts, and (after all input is read) the items of context types.
// Context items are kept as JSON and parsed only when a rule first asks for their type, account
// and region: most runs never need most of them. Items() is thread-safe.
class Engine::Env : public rules::Environment {
 public:
  Env(const model::FactStore& facts, EpochMillis now) : facts_(facts), now_(now) {}
  EpochMillis Now() const override { return now_; }
  const std::any& Memo(const std::string& key,
                       const std::function<std::any()>& build) const override {
    std::lock_guard lock(memo_mu_);  // built once: concurrent callers wait for it
    auto it = memo_.find(key);
    if (it == memo_.end()) it = memo_.emplace(key, build()).first;
    return it->second;
  }

  json::Value Fact(std::string_view name, std::string_view account,
                   std::string_view region) const override {
    return facts_.Get(name, account, region);
  }

  std::vector<const model::ConfigurationItem*> Items(std::string_view type,
                                                     std::string_view account,
                                                     std::string_view region,
                                                     bool* known) const override {
    std::string key(type);
    key.append("|").append(account).append("|").append(region);
    auto it = pending_.find(key);  // not changed once Finish evaluates rules
    if (known) *known = it != pending_.end();
    if (it == pending_.end()) return {};
    Parsed* parsed;
    {
      std::lock_guard lock(mu_);  // Finish evaluates on several threads
      auto& slot = parsed_[key];
      if (!slot) slot = std::make_unique<Parsed>();
      parsed = slot.get();
    }
    // Each list is parsed once, by its first reader; readers of other lists go on meanwhile.
    std::lock_guard lock(parsed->mu);
    if (!parsed->done) {
      for (std::string_view json_text : it->second) {
        auto doc = json::Document::Parse(json_text);
        if (!doc.ok()) continue;
        parsed->docs.push_back(std::move(doc).value());
        auto ci = model::ParseItem(parsed->docs.back().Root(), parsed->arena);
        if (!ci.ok() || ci->Deleted()) continue;
        parsed->cis.push_back(std::move(ci).value());
        parsed->items.push_back(&parsed->cis.back());
      }
      parsed->done = true;
    }
    return parsed->items;
  }

  // Whether Items(…) would find the list `key` ("type|account|region") recorded.
  bool HasItems(std::string_view key) const { return pending_.find(key) != pending_.end(); }

  // `json_text` must outlive the Env.
  void AddContext(std::string_view type, std::string_view account, std::string_view region,
                  std::string_view json_text) {
    std::string key(type);
    key.append("|").append(account).append("|");
    pending_[key].push_back(json_text);
    key.append(region);
    pending_[key].push_back(json_text);
  }

 private:
  const model::FactStore& facts_;
  EpochMillis now_;
  std::map<std::string, std::vector<std::string_view>, std::less<>> pending_;
  mutable std::mutex mu_;
  mutable std::mutex memo_mu_;
  mutable std::map<std::string, std::any, std::less<>> memo_;  // node-based: references stay valid
  // The items of one list ("type|account|region"), parsed from their JSON on first use.
  struct Parsed {
    std::mutex mu;
    bool done = false;
    std::vector<const model::ConfigurationItem*> items;
    std::deque<json::Document> docs;
    std::deque<model::ConfigurationItem> cis;
    model::ItemArena arena;
  };
  mutable std::map<std::string, std::unique_ptr<Parsed>, std::less<>> parsed_;
};

Engine::Engine(std::vector<ActiveRule> rules, const model::FactStore& facts, EngineOptions options)
    : rules_(std::move(rules)),
      facts_(facts),
      options_(options),
      env_(std::make_unique<Env>(facts, options.run_time != 0 ? options.run_time : NowMillis())) {
  if (options_.run_time == 0) options_.run_time = env_->Now();
  if (std::getenv("VIGIL_TIMINGS") != nullptr) {
    rule_ns_ = std::make_unique<std::atomic<std::uint64_t>[]>(rules_.size());
    for (size_t i = 0; i < rules_.size(); ++i) rule_ns_[i] = 0;
  }
  std::set<std::string_view> context;
  for (std::uint32_t i = 0; i < rules_.size(); ++i) {
    const ActiveRule& r = rules_[i];
    for (const auto& t : r.resource_types) rules_by_type_[t].push_back(i);
    if (r.policy && r.resource_types.empty()) rules_any_type_.push_back(i);
    if (r.managed && r.deferred)
      for (auto t : r.managed->context_types) context.insert(t);
  }
  context_types_.assign(context.begin(), context.end());
}

Engine::~Engine() = default;

bool Engine::InScope(const ActiveRule& r, const model::ConfigurationItem& ci) const {
  return InRuleScope(r, ci);
}

bool InRuleScope(const ActiveRule& r, const model::ConfigurationItem& ci) {
  const auto& c = r.config;
  if (!c.scope_resource_id.empty() && ci.resource_id != c.scope_resource_id) return false;
  if (!c.scope_tag_key.empty() && !ci.Deleted()) {
    const std::string_view* v = ci.Tag(c.scope_tag_key);
    if (v == nullptr) return false;
    if (!c.scope_tag_value.empty() && *v != c.scope_tag_value) return false;
  }
  return true;
}

namespace {

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

}  // namespace

rules::Verdict Engine::Run(const ActiveRule& r, const rules::Environment& env,
                           const model::ConfigurationItem& ci) const {
  if (rule_ns_) {
    const auto start = std::chrono::steady_clock::now();
    rules::Verdict v = RunRule(r, env, ci);
    rule_ns_[&r - rules_.data()] +=
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                       std::chrono::steady_clock::now() - start)
                                       .count());
    return v;
  }
  return RunRule(r, env, ci);
}

rules::Verdict Engine::RunRule(const ActiveRule& r, const rules::Environment& env,
                               const model::ConfigurationItem& ci) const {
  return RunActiveRule(r, env, ci);
}

rules::Verdict RunActiveRule(const ActiveRule& r, const rules::Environment& env,
                             const model::ConfigurationItem& ci) {
  if (r.policy) {
    try {
      return r.policy->Evaluate(ci);
    } catch (const std::exception& e) {
      return rules::Verdict::MissingFact("rule-error", std::string("rule failed: ") + e.what());
    }
  }
  std::vector<std::pair<std::string, std::string>> substituted;
  if (r.pseudo_params) {
    substituted = r.config.input_parameters;
    for (auto& [name, value] : substituted) {
      ReplaceAll(value, "${AWS::AccountId}", ci.account_id);
      ReplaceAll(value, "${AWS::Region}", ci.region);
    }
  }
  const rules::RuleContext ctx(*r.managed,
                               r.pseudo_params ? substituted : r.config.input_parameters, env);
  try {
    return r.managed->evaluate(ctx, ci);
  } catch (const std::exception& e) {
    return rules::Verdict::MissingFact("rule-error", std::string("rule failed: ") + e.what());
  } catch (...) {
    return rules::Verdict::MissingFact("rule-error", "rule failed");
  }
}

namespace {

// Runs a rule that may read other items while they are still being read: if the rule decides
// without asking for them (a bucket that is not public by itself, a VPC whose flow-log fact is
// present), its verdict stands; if it asks, the item is evaluated again in Finish().
class ProbeEnv : public rules::Environment {
 public:
  explicit ProbeEnv(const rules::Environment& base) : base_(base) {}
  EpochMillis Now() const override { return base_.Now(); }
  // Built from the probe's (empty) view of other items, so never cached.
  const std::any& Memo(const std::string&, const std::function<std::any()>& build) const override {
    return built_.emplace_back(build());
  }
  json::Value Fact(std::string_view name, std::string_view account,
                   std::string_view region) const override {
    return base_.Fact(name, account, region);
  }
  std::vector<const model::ConfigurationItem*> Items(std::string_view type,
                                                     std::string_view account,
                                                     std::string_view region,
                                                     bool* known) const override {
    std::string key(type);
    key.append("|").append(account).append("|").append(region);
    if (std::find(asked_.begin(), asked_.end(), key) == asked_.end())
      asked_.push_back(std::move(key));
    if (known) *known = false;
    return {};
  }
  bool touched() const { return !asked_.empty(); }
  // The item lists asked for, as "type|account|region".
  std::vector<std::string>& asked() const { return asked_; }

 private:
  const rules::Environment& base_;
  mutable std::vector<std::string> asked_;
  mutable std::deque<std::any> built_;
};

}  // namespace

void Engine::Reserve(size_t items) {
  std::lock_guard lock(mu_);
  index_.Reserve(items);
  resources_.reserve(items);
  deferred_json_.reserve(items);
  context_json_.reserve(items);
  deferred_ordinal_.reserve(items);
  probe_begin_.reserve(items);
  probe_count_.reserve(items);
  evals_.reserve(items + items / 2);
}

void Batch::Reset(std::uint32_t file, std::string recording_region) {
  file_ = file;
  recording_region_ = std::move(recording_region);
  arena_.Reset();
  blobs_.Reset();
  items_.clear();
  evals_.clear();
  notes_.clear();
  note_ids_.clear();
  missing_.clear();
  probes_.clear();
  probe_keys_.clear();
  ordinal_ = 0;
}

std::uint32_t Batch::Note(std::string_view annotation) {
  std::string truncated;
  if (annotation.size() > 256) annotation = truncated = TruncateUtf8(annotation, 256);
  if (auto it = note_ids_.find(annotation); it != note_ids_.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(notes_.size());
  notes_.push_back(arena_.Copy(annotation));
  note_ids_.emplace(notes_.back(), id);
  return id;
}

void Batch::Add(const model::ConfigurationItem& ci_in) {
  const Engine& e = engine_;
  const model::ConfigurationItem* item = &ci_in;
  model::ConfigurationItem regional;
  if (ci_in.region == "global" && !recording_region_.empty()) {
    regional = ci_in;
    regional.region = recording_region_;
    item = &regional;
  }
  const model::ConfigurationItem& ci = *item;
  Item it{};
  it.account = arena_.Copy(ci.account_id);
  it.region = arena_.Copy(ci.region);
  it.type = arena_.Copy(ci.resource_type);
  it.id = arena_.Copy(ci.resource_id);
  it.name = arena_.Copy(ci.resource_name);
  if (e.options_.keep_item_json) {
    it.arn = arena_.Copy(ci.arn);
    it.state_id = arena_.Copy(ci.state_id);
  }
  it.capture = ci.capture_time;
  it.status = ci.status;
  it.ordinal = ordinal_++;
  it.first_eval = static_cast<std::uint32_t>(evals_.size());
  it.probe_begin = static_cast<std::uint32_t>(probes_.size());
  bool defer = false;
  // Judges the item by rule `idx`.
  auto judge = [&](std::uint32_t idx) {
    const ActiveRule& r = e.rules_[idx];
    if (!r.Evaluable() || !e.InScope(r, ci)) return;
    if (ci.Deleted()) {
      // AWS's rules judge a deleted resource NOT_APPLICABLE, whatever they check.
      evals_.push_back({idx, rules::Compliance::kNotApplicable, Note("The resource was deleted.")});
      return;
    }
    rules::Verdict v;
    if (r.deferred) {
      ProbeEnv probe(*e.env_);
      v = e.Run(r, probe, ci);
      if (probe.touched()) {
        defer = true;
        const auto key_begin = static_cast<std::uint32_t>(probe_keys_.size());
        for (auto& k : probe.asked()) probe_keys_.push_back(std::move(k));
        probes_.push_back({idx, std::move(v), key_begin,
                           static_cast<std::uint32_t>(probe_keys_.size()) - key_begin});
        return;
      }
    } else {
      v = e.Run(r, *e.env_, ci);
    }
    if (v.kind == rules::Verdict::Kind::kMissingFact) {
      missing_.push_back({idx, std::move(v.missing),
                          it.account.empty() ? "" : std::string(it.account), std::string(it.region),
                          std::move(v.annotation)});
      return;
    }
    evals_.push_back({idx, v.compliance, Note(v.annotation)});
  };
  if (auto found = e.rules_by_type_.find(ci.resource_type); found != e.rules_by_type_.end())
    for (std::uint32_t idx : found->second) judge(idx);
  for (std::uint32_t idx : e.rules_any_type_) judge(idx);
  it.eval_count = static_cast<std::uint32_t>(evals_.size()) - it.first_eval;
  it.probe_count = static_cast<std::uint32_t>(probes_.size()) - it.probe_begin;
  const bool context = std::find(e.context_types_.begin(), e.context_types_.end(),
                                 ci.resource_type) != e.context_types_.end();
  it.deferred = defer;
  const bool keep_deferred = defer && !e.options_.reread_deferred;
  if (keep_deferred || context || e.options_.keep_item_json) {
    const std::string json = ci.raw.ToJson();
    const std::string_view copy = blobs_.Copy(json);
    if (keep_deferred) it.deferred_json = copy;
    if (context) it.context_json = copy;
    if (e.options_.keep_item_json) it.full_json = copy;
  }
  items_.push_back(it);
}

void Engine::Record(std::uint32_t resource, std::uint32_t rule, const rules::Verdict& v) {
  Record(resource, rule, v.compliance,
         annotations_.Id(v.annotation.size() <= 256
                             ? std::string_view(v.annotation)
                             : std::string_view(TruncateUtf8(v.annotation, 256))));
}

void Engine::Record(std::uint32_t resource, std::uint32_t rule, rules::Compliance compliance,
                    std::uint32_t annotation) {
  Resource& r = resources_[resource];
  for (std::uint32_t i = r.eval_begin; i < r.eval_begin + r.eval_count; ++i) {
    if (evals_[i].rule == rule) {
      evals_[i].compliance = compliance;
      evals_[i].annotation = annotation;
      return;
    }
  }
  // Move the block to the end, where it can grow.
  if (r.eval_begin + r.eval_count != evals_.size()) {
    const auto begin = static_cast<std::uint32_t>(evals_.size());
    for (std::uint32_t i = 0; i < r.eval_count; ++i) evals_.push_back(evals_[r.eval_begin + i]);
    r.eval_begin = begin;
  }
  evals_.push_back({rule, annotation, compliance});
  ++r.eval_count;
}

void Engine::SettleProbes() {
  std::vector<char> exists(query_keys_.size());
  for (std::uint32_t k = 0; k < query_keys_.size(); ++k)
    exists[k] = env_->HasItems(query_keys_.Name(k));
  for (std::uint32_t idx = 0; idx < resources_.size(); ++idx) {
    const std::uint32_t begin = probe_begin_[idx], end = begin + probe_count_[idx];
    if (begin == end) continue;
    bool stands = true;
    for (std::uint32_t p = begin; p < end && stands; ++p)
      for (std::uint32_t k = 0; k < probes_[p].key_count && stands; ++k)
        stands = !exists[probe_keys_[probes_[p].key_begin + k]];
    if (!stands) continue;  // evaluated again, with the items it asks for
    const Resource& res = resources_[idx];
    for (std::uint32_t p = begin; p < end; ++p) {
      const ProbeOutcome& o = probes_[p];
      if (o.kind == rules::Verdict::Kind::kMissingFact)
        NoteMissing(rules_[o.rule], annotations_.Name(o.missing), names_.Name(res.account),
                    names_.Name(res.region), annotations_.Name(o.annotation));
      else
        Record(idx, o.rule, o.compliance, o.annotation);
    }
    deferred_ordinal_[idx] = kNoOrdinal;
    deferred_json_[idx] = {};
  }
}

void Engine::NoteMissing(const ActiveRule& r, std::string_view fact, std::string_view account,
                         std::string_view region, std::string_view detail) {
  const auto rule_index = static_cast<std::uint32_t>(&r - rules_.data());
  // Looked up without copying: hundreds of thousands of items may lack the same fact.
  auto it = missing_map_.find(std::make_tuple(rule_index, fact, account, region));
  if (it == missing_map_.end()) {
    it = missing_map_
             .emplace(std::make_tuple(rule_index, std::string(fact), std::string(account),
                                      std::string(region)),
                      MissingFact{r.config.name, std::string(fact), std::string(account),
                                  std::string(region), 0, std::string(detail)})
             .first;
  }
  ++it->second.resources;
}

std::uint32_t Engine::FindOrAddResource(std::string_view account, std::string_view region,
                                        std::string_view type, std::string_view id,
                                        bool* inserted) {
  const std::uint32_t a = Intern(account), r = Intern(region), t = Intern(type);
  const std::uint32_t idx =
      index_.FindOrInsert(ResourceIndex::Hash(a, r, t, id), a, r, t, id, resources_,
                          static_cast<std::uint32_t>(resources_.size()), inserted);
  if (*inserted) {
    Resource fresh;
    fresh.account = a;
    fresh.region = r;
    fresh.type = t;
    fresh.id = strings_.Copy(id);
    resources_.push_back(fresh);
    deferred_json_.emplace_back();
    context_json_.emplace_back();
    deferred_ordinal_.push_back(kNoOrdinal);
    probe_begin_.push_back(0);
    probe_count_.push_back(0);
  }
  return idx;
}

void Engine::Merge(Batch&& b) {
  std::lock_guard lock(mu_);
  std::vector<std::uint32_t> note_ids(b.notes_.size());
  for (size_t i = 0; i < b.notes_.size(); ++i) note_ids[i] = annotations_.Id(b.notes_[i]);
  for (const Batch::Item& it : b.items_) {
    ++items_read_;
    bool inserted = false;
    const std::uint32_t idx = FindOrAddResource(it.account, it.region, it.type, it.id, &inserted);
    Resource& r = resources_[idx];
    ++r.captures;
    if (!it.full_json.empty())
      history_.push_back({idx, it.capture, it.status, blobs_.Copy(it.full_json)});
    const bool newer =
        inserted || it.capture > r.capture || (it.capture == r.capture && b.file_ < r.file);
    if (!newer) continue;
    if (r.name != it.name) r.name = strings_.Copy(it.name);
    if (!it.arn.empty()) r.arn = strings_.Copy(it.arn);
    if (!it.state_id.empty()) r.state_id = strings_.Copy(it.state_id);
    r.capture = it.capture;
    r.status = it.status;
    r.file = b.file_;
    r.eval_begin = static_cast<std::uint32_t>(evals_.size());
    r.eval_count = it.eval_count;
    for (std::uint32_t i = it.first_eval; i < it.first_eval + it.eval_count; ++i) {
      const auto& pe = b.evals_[i];
      evals_.push_back({pe.rule, note_ids[pe.annotation], pe.compliance});
    }
    // Items of the types rules read (context): the winning capture, as JSON.
    context_json_[idx] =
        it.context_json.empty() ? std::string_view() : blobs_.Copy(it.context_json);
    deferred_json_[idx] =
        it.deferred_json.empty() ? std::string_view() : blobs_.Copy(it.deferred_json);
    deferred_ordinal_[idx] = it.deferred && options_.reread_deferred ? it.ordinal : kNoOrdinal;
    probe_begin_[idx] = static_cast<std::uint32_t>(probes_.size());
    probe_count_[idx] = it.probe_count;
    for (std::uint32_t i = it.probe_begin; i < it.probe_begin + it.probe_count; ++i) {
      const Batch::Probe& p = b.probes_[i];
      const auto key_begin = static_cast<std::uint32_t>(probe_keys_.size());
      for (std::uint32_t k = p.key_begin; k < p.key_begin + p.key_count; ++k)
        probe_keys_.push_back(query_keys_.Id(b.probe_keys_[k]));
      const bool truncate =
          p.verdict.kind == rules::Verdict::Kind::kDecided && p.verdict.annotation.size() > 256;
      const std::uint32_t note =
          annotations_.Id(truncate ? std::string_view(TruncateUtf8(p.verdict.annotation, 256))
                                   : std::string_view(p.verdict.annotation));
      probes_.push_back({idx, p.rule, p.verdict.kind, p.verdict.compliance, note,
                         annotations_.Id(p.verdict.missing), key_begin, p.key_count});
    }
  }
  for (const auto& m : b.missing_)
    NoteMissing(rules_[m.rule], m.fact, m.account, m.region, m.detail);
}

void Engine::EvaluateDeferred(std::uint32_t idx, const model::ConfigurationItem& ci,
                              std::vector<Outcome>& out) const {
  const auto by_type = rules_by_type_.find(ci.resource_type);
  if (by_type == rules_by_type_.end()) return;
  for (std::uint32_t ri : by_type->second) {
    const ActiveRule& r = rules_[ri];
    if (r.managed == nullptr || !r.deferred || !InScope(r, ci)) continue;
    out.push_back({idx, ri, Run(r, *env_, ci)});
  }
}

void Engine::Apply(std::vector<Outcome>& outcomes) {
  // In resource order, so that warnings do not depend on thread scheduling.
  std::sort(outcomes.begin(), outcomes.end(), [](const Outcome& a, const Outcome& b) {
    return std::tie(a.resource, a.rule) < std::tie(b.resource, b.rule);
  });
  for (Outcome& o : outcomes) {
    if (o.verdict.kind == rules::Verdict::Kind::kMissingFact) {
      const Resource& r = resources_[o.resource];
      NoteMissing(rules_[o.rule], o.verdict.missing, names_.Name(r.account), names_.Name(r.region),
                  o.verdict.annotation);
    } else {
      Record(o.resource, o.rule, o.verdict);
    }
  }
  outcomes.clear();
}

std::vector<std::string> Engine::Finish(const Reread& reread) {
  std::lock_guard lock(mu_);
  std::vector<std::string> problems;
  // VIGIL_TIMINGS=1 prints how long each part takes.
  const bool timings = std::getenv("VIGIL_TIMINGS") != nullptr;
  auto lap = [timings, last = std::chrono::steady_clock::now()](const char* what) mutable {
    if (!timings) return;
    const auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "timings: finish: %s %.3f s\n", what,
                 std::chrono::duration<double>(now - last).count());
    last = now;
  };
  for (std::uint32_t idx = 0; idx < resources_.size(); ++idx) {
    if (context_json_[idx].empty()) continue;
    const Resource& r = resources_[idx];
    env_->AddContext(names_.Name(r.type), names_.Name(r.account), names_.Name(r.region),
                     context_json_[idx]);
  }

  SettleProbes();
  lap("context items");
  // Rules that read other items: deferred items kept as JSON...
  std::vector<Outcome> outcomes;
  model::ItemArena arena;
  for (std::uint32_t idx = 0; idx < resources_.size(); ++idx) {
    if (deferred_json_[idx].empty()) continue;
    auto doc = json::Document::Parse(deferred_json_[idx]);
    if (!doc.ok()) continue;
    auto ci = model::ParseItem(doc->Root(), arena);
    if (!ci.ok()) continue;
    EvaluateDeferred(idx, *ci, outcomes);
    arena.Clear();
  }
  Apply(outcomes);
  // ... and deferred items read again from their files, on every core.
  std::map<std::uint32_t, std::vector<std::pair<std::uint32_t, std::uint32_t>>> by_file;
  for (std::uint32_t idx = 0; idx < resources_.size(); ++idx)
    if (deferred_ordinal_[idx] != kNoOrdinal)
      by_file[resources_[idx].file].emplace_back(deferred_ordinal_[idx], idx);
  if (!by_file.empty() && !reread)
    problems.push_back("deferred items cannot be evaluated: no way to read their files again");
  if (!by_file.empty() && reread) {
    std::vector<std::pair<std::uint32_t, std::vector<std::pair<std::uint32_t, std::uint32_t>>>>
        work(by_file.begin(), by_file.end());
    unsigned threads = options_.jobs ? options_.jobs : std::thread::hardware_concurrency();
    threads = static_cast<unsigned>(std::clamp<size_t>(threads, 1, work.size()));
    std::vector<std::vector<Outcome>> found(threads);
    std::vector<std::vector<std::string>> failed(threads);
    std::atomic<size_t> next_work{0};
    auto worker = [&](unsigned t) {
      for (size_t w; (w = next_work++) < work.size();) {
        const std::uint32_t file = work[w].first;
        auto& wanted = work[w].second;  // not a structured binding: lambdas below capture it
        std::sort(wanted.begin(), wanted.end());
        size_t next = 0;
        std::uint32_t ordinal = 0;
        std::string recording_region;
        const Status st = reread(file, recording_region, [&](const model::ConfigurationItem& in) {
          const std::uint32_t at = ordinal++;
          if (next >= wanted.size() || wanted[next].first != at) return;
          const std::uint32_t idx = wanted[next++].second;
          if (in.region == "global" && !recording_region.empty()) {
            model::ConfigurationItem regional = in;
            regional.region = recording_region;
            EvaluateDeferred(idx, regional, found[t]);
          } else {
            EvaluateDeferred(idx, in, found[t]);
          }
        });
        if (!st.ok()) failed[t].push_back(st.message());
        if (next < wanted.size())
          failed[t].push_back(
              "input file " + std::to_string(file) +
              " changed while vigil read it: " + std::to_string(wanted.size() - next) +
              " item(s) whose rules read other items were not evaluated");
      }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker, t);
    worker(0);
    for (auto& th : pool) th.join();
    for (auto& f : found) {
      outcomes.insert(outcomes.end(), std::make_move_iterator(f.begin()),
                      std::make_move_iterator(f.end()));
      f.clear();
    }
    Apply(outcomes);
    for (auto& f : failed) problems.insert(problems.end(), f.begin(), f.end());
  }

  lap("deferred items");
  // Resource types AWS Config does not record: items made from the facts that list them.
  std::set<std::uint32_t> synthesized;  // resources made here (several rules may judge one)
  for (std::uint32_t ri = 0; ri < rules_.size(); ++ri) {
    const ActiveRule& r = rules_[ri];
    if (r.managed == nullptr) continue;
    for (const rules::SynthesizedType& st : r.managed->synthesized) {
      if (std::find(r.resource_types.begin(), r.resource_types.end(), st.type) ==
          r.resource_types.end())
        continue;  // the rule's Scope leaves the type out
      for (const auto& [account, region] : facts_.Locations(st.fact)) {
        const json::Value list = facts_.Get(st.fact, account, region).Get(st.list);
        for (const json::Value element : list.Elements()) {
          const std::optional<std::string_view> id = element.Get(st.id).String();
          if (!id || id->empty()) continue;
          model::ConfigurationItem ci;
          ci.resource_type = st.type;
          ci.resource_id = *id;
          ci.resource_name = element.Get("Name").String().value_or(*id);
          ci.account_id = account;
          ci.region = region;
          ci.capture_time = options_.run_time;
          ci.configuration = element;
          ci.raw = element;
          if (!InScope(r, ci)) continue;
          bool inserted = false;
          const std::uint32_t idx = FindOrAddResource(account, region, st.type, *id, &inserted);
          if (inserted) {
            resources_[idx].capture = options_.run_time;
            resources_[idx].name = strings_.Copy(ci.resource_name);
            synthesized.insert(idx);
          } else if (!synthesized.count(idx)) {
            continue;  // recorded by AWS Config: already evaluated from its item
          }
          rules::Verdict v = Run(r, *env_, ci);
          if (v.kind == rules::Verdict::Kind::kMissingFact) {
            NoteMissing(r, v.missing, account, region, v.annotation);
            continue;
          }
          Record(idx, ri, v);
        }
      }
    }
  }

  lap("items made from facts");
  // Account-level rules: one evaluation per account, in the region holding the fact.
  std::set<std::string> accounts;
  {
    std::vector<bool> seen(names_.size(), false);  // by interned account id
    for (const Resource& r : resources_) seen[r.account] = true;
    for (std::uint32_t a = 0; a < seen.size(); ++a)
      if (seen[a] && !names_.Name(a).empty()) accounts.emplace(names_.Name(a));
  }
  std::optional<std::map<std::string, std::string>> first_regions;
  struct AccountTask {
    std::uint32_t rule;
    std::string account, region;
    rules::Verdict verdict;
  };
  std::vector<AccountTask> tasks;
  for (std::uint32_t ri = 0; ri < rules_.size(); ++ri) {
    const ActiveRule& r = rules_[ri];
    if (r.managed == nullptr || !r.account_level) continue;
    // A rule reading a regional fact runs in every region holding it (EBS encryption by default,
    // GuardDuty, Security Hub are per region); one reading only global facts runs once per
    // account, in the first region holding one.
    std::set<std::pair<std::string, std::string>> where;  // (account, region)
    std::set<std::string> covered;
    for (auto fact : r.managed->facts) {
      const model::FactKind* kind = model::FindFactKind(fact);
      const bool regional = kind != nullptr && !kind->global;
      for (auto& [account, region] : facts_.Locations(fact)) {
        if (!regional && covered.count(account)) continue;
        where.emplace(account, region);
      }
      for (const auto& [account, region] : where) covered.insert(account);
    }
    // A rule that reads recorded items (IAM_POLICY_IN_USE) runs in every account with items,
    // in its first region, whether or not a fact was collected there.
    if (r.deferred) {
      if (!first_regions) first_regions = FirstRegions();
      for (const auto& [account, region] : *first_regions)
        if (covered.insert(account).second) where.emplace(account, region);
    }
    for (const auto& a : accounts) {
      if (!covered.count(a) && !r.managed->facts.empty())
        NoteMissing(r, r.managed->facts.front(), a, "", "no account facts for this account");
    }
    for (const auto& [account, region] : where) tasks.push_back({ri, account, region, {}});
  }
  // Evaluated on every core (IAM_POLICY_IN_USE reads every IAM item of each account), recorded
  // in order.
  {
    const unsigned threads = static_cast<unsigned>(std::max<size_t>(
        1, std::min<size_t>(options_.jobs ? options_.jobs : std::thread::hardware_concurrency(),
                            tasks.size())));
    std::atomic<size_t> next{0};
    auto worker = [&] {
      for (size_t i; (i = next++) < tasks.size();) {
        AccountTask& t = tasks[i];
        model::ConfigurationItem ci;
        ci.resource_type = "AWS::::Account";
        ci.resource_id = t.account;
        ci.account_id = t.account;
        ci.region = t.region;
        ci.capture_time = options_.run_time;
        t.verdict = Run(rules_[t.rule], *env_, ci);
      }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
  }
  for (AccountTask& t : tasks) {
    if (t.verdict.kind == rules::Verdict::Kind::kMissingFact) {
      NoteMissing(rules_[t.rule], t.verdict.missing, t.account, t.region, t.verdict.annotation);
      continue;
    }
    bool inserted = false;
    const std::uint32_t idx =
        FindOrAddResource(t.account, t.region, "AWS::::Account", t.account, &inserted);
    if (inserted) resources_[idx].capture = options_.run_time;
    Record(idx, t.rule, t.verdict);
  }
  lap("account-level rules");
  if (rule_ns_) {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> slowest;
    for (std::uint32_t i = 0; i < rules_.size(); ++i) slowest.emplace_back(rule_ns_[i], i);
    std::sort(slowest.rbegin(), slowest.rend());
    for (size_t i = 0; i < slowest.size() && i < 15; ++i)
      std::fprintf(stderr, "timings: rule %s %.3f s (all threads)\n",
                   rules_[slowest[i].second].config.name.c_str(), slowest[i].first / 1e9);
  }
  for (auto& [key, m] : missing_map_) missing_.push_back(m);
  return problems;
}

std::map<std::string, std::string> Engine::FirstRegions() const {
  // By interned ids first: a million resources, a few hundred accounts.
  constexpr std::uint32_t kNone = ~std::uint32_t{0};
  std::vector<std::uint32_t> first(names_.size(), kNone);  // account id -> region id
  for (const Resource& r : resources_) {
    const std::string_view region = names_.Name(r.region);
    if (region.empty() || region == "global" || names_.Name(r.account).empty()) continue;
    std::uint32_t& f = first[r.account];
    if (f == kNone || region < names_.Name(f)) f = r.region;
  }
  std::map<std::string, std::string> out;
  for (std::uint32_t a = 0; a < first.size(); ++a)
    if (first[a] != kNone) out.emplace(names_.Name(a), names_.Name(first[a]));
  return out;
}

std::vector<std::string> Engine::AddExternalEvaluations(
    const std::vector<model::ExternalEvaluation>& evals) {
  std::vector<std::string> problems;
  const std::map<std::string, std::string> first_region = FirstRegions();
  // The latest ordering timestamp wins, whatever the order of the input.
  std::map<std::tuple<std::uint32_t, std::uint32_t>, EpochMillis> latest;
  for (const auto& e : evals) {
    const std::string who =
        "external evaluation of rule '" + e.rule + "' for " + e.resource_type + " " + e.resource_id;
    std::uint32_t rule = 0;
    while (rule < rules_.size() && rules_[rule].config.name != e.rule) ++rule;
    if (rule == rules_.size()) {
      problems.push_back(who + ": no such rule in this run");
      continue;
    }
    if (!rules_[rule].manual) {
      problems.push_back(who +
                         ": the rule is not a process check (AWS_CONFIG_PROCESS_CHECK); "
                         "only manual controls take external evaluations");
      continue;
    }
    std::string region = e.region;
    if (region.empty()) {
      auto it = first_region.find(e.account);
      if (it == first_region.end()) {
        problems.push_back(who + ": account " + e.account +
                           " has no configuration items here; give AwsRegion");
        continue;
      }
      region = it->second;
    }
    bool inserted = false;
    const std::uint32_t idx =
        FindOrAddResource(e.account, region, e.resource_type, e.resource_id, &inserted);
    if (inserted) resources_[idx].capture = e.ordering;
    auto [it, fresh] = latest.try_emplace({idx, rule}, e.ordering);
    if (!fresh && e.ordering < it->second) continue;
    it->second = e.ordering;
    rules::Verdict v;
    v.compliance = *rules::ParseCompliance(e.compliance);
    v.annotation = e.annotation;
    Record(idx, rule, v);
  }
  return problems;
}

}  // namespace vigil::engine
