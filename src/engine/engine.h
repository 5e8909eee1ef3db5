// The evaluation engine: configuration items in, one verdict per rule and resource out.
//
// Use: build an Engine from the rules (ResolveRules) and the account facts, feed it items file by
// file through Batches (one per worker thread at a time; Batch::Add evaluates what can be
// evaluated at once), Merge each batch, then Finish() to evaluate what needed every item first
// (rules reading other items, account-level rules). When a resource appears several times the
// latest capture wins; earlier captures are counted as history, and their verdicts dropped.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/huge_pages.h"
#include "common/status.h"
#include "common/time.h"
#include "engine/guard_policy.h"
#include "model/config_rule.h"
#include "model/configuration_item.h"
#include "model/external_evaluation.h"
#include "model/facts.h"
#include "rules/rule.h"

namespace vigil::engine {

// Stable storage for strings that outlive the documents they came from.
class StringArena {
 public:
  // `huge`: blocks of 2 MiB on transparent huge pages, for arenas that fill densely and live long.
  explicit StringArena(bool huge = false) : huge_(huge) {}
  std::string_view Copy(std::string_view s);
  // Forgets the contents but keeps the first block for reuse.
  void Reset();

 private:
  struct Free {
    void operator()(char* p) const { std::free(p); }
  };
  std::vector<std::unique_ptr<char, Free>> blocks_;
  size_t first_cap_ = 0;
  bool huge_ = false;
  size_t used_ = 0;
  size_t cap_ = 0;
};

// Maps a small set of strings (accounts, regions, types, annotations) to dense ids.
class Interner {
 public:
  std::uint32_t Id(std::string_view s);
  std::string_view Name(std::uint32_t id) const { return names_[id]; }
  size_t size() const { return names_.size(); }

 private:
  std::deque<std::string> names_;
  std::unordered_map<std::string_view, std::uint32_t> ids_;
};

struct Resource;

// Open-addressing map from a resource's key (account, region and type ids, resource id) to its
// index in a resource table. One probe usually touches one cache line, which matters at
// millions of resources; the keys themselves are read from the table.
class ResourceIndex {
 public:
  static std::uint64_t Hash(std::uint32_t account, std::uint32_t region, std::uint32_t type,
                            std::string_view id);
  void Reserve(size_t n);
  // The index of the matching resource, or `fresh` (then *inserted is true), in which case the
  // caller must store a resource with these ids at `fresh` before the next call.
  std::uint32_t FindOrInsert(std::uint64_t hash, std::uint32_t account, std::uint32_t region,
                             std::uint32_t type, std::string_view id,
                             const std::vector<Resource, HugePageAllocator<Resource>>& resources,
                             std::uint32_t fresh, bool* inserted);

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t index = kEmpty;
  };
  static constexpr std::uint32_t kEmpty = ~std::uint32_t{0};
  void Rehash(size_t capacity);
  std::vector<Slot, HugePageAllocator<Slot>> slots_;
  size_t used_ = 0;
};

// A rule as vigil will run it.
struct ActiveRule {
  model::ConfigRule config;
  const rules::ManagedRule* managed = nullptr;  // an AWS managed rule vigil implements
  std::shared_ptr<const GuardPolicy> policy;    // a custom policy (Guard) rule
  // Neither: the rule cannot be evaluated (see `note`).
  bool Evaluable() const { return managed != nullptr || policy != nullptr; }
  std::vector<std::string> resource_types;  // effective scope
  std::string note;                         // why it is not evaluated, for the report
  bool account_level = false;               // no resource types: one verdict per account
  bool deferred = false;                    // reads other items: evaluated in Finish()
  bool manual = false;                      // AWS_CONFIG_PROCESS_CHECK
  // InputParameters hold ${AWS::AccountId} / ${AWS::Region} (from a conformance pack), replaced
  // by each evaluated item's account and region.
  bool pseudo_params = false;
};

// Turns ConfigRule objects into ActiveRules. Problems (unknown identifier, bad InputParameters)
// are appended to `errors`, naming rule, parameter and expected type; such rules are dropped.
// Known identifiers without an implementation are kept with a note, never judged COMPLIANT.
std::vector<ActiveRule> ResolveRules(std::vector<model::ConfigRule> configs,
                                     std::vector<std::string>& errors);

// Whether `ci` falls in the rule's Scope by resource id and tag (the resource type is matched
// through ActiveRule::resource_types by the caller).
bool InRuleScope(const ActiveRule& r, const model::ConfigurationItem& ci);
// Runs one evaluable rule on one item: the managed rule with its parameters (pseudo parameters
// replaced by the item's account and region) or the Guard policy. A rule that throws gives a
// MissingFact verdict named "rule-error".
rules::Verdict RunActiveRule(const ActiveRule& r, const rules::Environment& env,
                             const model::ConfigurationItem& ci);

struct Evaluation {
  std::uint32_t rule;
  std::uint32_t annotation;  // Engine::annotations() id
  rules::Compliance compliance;
};

struct Resource {
  std::uint32_t account, region, type;  // Engine::names() ids
  std::string_view id, name;
  std::string_view arn, state_id;  // kept only with EngineOptions::keep_item_json (for a store)
  EpochMillis capture = 0;
  model::ItemStatus status = model::ItemStatus::kOk;
  std::uint32_t captures = 0;    // how many captures were read (history depth)
  std::uint32_t file = 0;        // file index of the winning capture (ties: lowest index wins)
  std::uint32_t eval_begin = 0;  // this resource's evaluations: Engine::Evaluations()
  std::uint32_t eval_count = 0;
};

// Evaluations that could not be made because a fact was missing, grouped for one warning each.
struct MissingFact {
  std::string rule, fact, account, region;
  std::uint64_t resources = 0;
  std::string detail;
};

class Engine;

// Collects the outcome of one file. Not thread-safe; each worker uses its own.
class Batch {
 public:
  // `recording_region` is the region whose recorder delivered the file (from the S3 delivery path,
  // "" if unknown). Global resources (IAM, whose items say awsRegion "global") are reported in it,
  // as AWS reports their evaluations in the region where the rule ran.
  Batch(const Engine& engine, std::uint32_t file, std::string recording_region = {})
      : engine_(engine), file_(file), recording_region_(std::move(recording_region)) {}
  void Add(const model::ConfigurationItem& ci);
  size_t size() const { return items_.size(); }
  // Makes the batch ready for another file after Engine::Merge, keeping its buffers.
  void Reset(std::uint32_t file, std::string recording_region = {});

 private:
  friend class Engine;
  struct Item {
    std::string_view account, region, type, id, name, arn, state_id;
    EpochMillis capture;
    model::ItemStatus status;
    std::uint32_t first_eval, eval_count;
    std::uint32_t ordinal;                   // the item's position among the file's items
    std::uint32_t probe_begin, probe_count;  // into probes_
    bool deferred;                           // a rule in scope must see every item first
    std::string_view deferred_json;  // minified CI when deferred and not re-read from the file
    std::string_view context_json;   // minified CI when a rule reads items of this type
    std::string_view full_json;      // minified CI when history is kept in a store
  };
  struct PendingEval {
    std::uint32_t rule;
    rules::Compliance compliance;
    std::uint32_t annotation;  // into notes_
  };
  // Annotations interned per batch (most repeat from item to item), so that Merge interns each
  // distinct one once instead of once per evaluation under the engine's lock.
  std::uint32_t Note(std::string_view annotation);
  std::vector<std::string_view> notes_;  // in arena_
  std::unordered_map<std::string_view, std::uint32_t> note_ids_;
  struct Missing {
    std::uint32_t rule;
    std::string fact, account, region, detail;
  };
  // What a rule reading other items concluded without them (the probe), and which item lists
  // ("type|account|region") it asked for: if none of them exists once every item is read, the
  // rule would conclude the same, and the item need not be evaluated again.
  struct Probe {
    std::uint32_t rule;
    rules::Verdict verdict;
    std::uint32_t key_begin, key_count;  // into probe_keys_
  };
  const Engine& engine_;
  std::uint32_t file_;
  std::string recording_region_;
  StringArena arena_;
  StringArena blobs_;  // item JSON the engine keeps (copied by Merge into its own arena)
  std::vector<Item> items_;
  std::vector<PendingEval> evals_;
  std::vector<Missing> missing_;
  std::vector<Probe> probes_;
  std::vector<std::string> probe_keys_;
  std::uint32_t ordinal_ = 0;
};

struct EngineOptions {
  bool keep_item_json = false;  // keep each capture's JSON (for a store's history)
  EpochMillis run_time = 0;     // ResultRecordedTime; 0 = now
  // Deferred items are read again from their file in Finish (which then needs a Reread) instead
  // of being kept as JSON: far less memory and copying when many items are deferred. Not for
  // input that cannot be read twice (stdin).
  bool reread_deferred = false;
  unsigned jobs = 0;  // threads for re-reading deferred items (0: one per core)
};

// Reads input file `file` (the index given to Batch) again, calling `item` for each configuration
// item in the order of the first reading, and sets `recording_region` as for the Batch.
using Reread =
    std::function<Status(std::uint32_t file, std::string& recording_region,
                         const std::function<void(const model::ConfigurationItem&)>& item)>;

class Engine {
 public:
  Engine(std::vector<ActiveRule> rules, const model::FactStore& facts, EngineOptions options = {});
  ~Engine();

  // Sizes the tables for about `items` resources (an estimate; avoids rehashing while merging).
  void Reserve(size_t items);
  // Thread-safe.
  void Merge(Batch&& batch);
  // Evaluates deferred and account-level rules. Call once, after the last Merge. With
  // EngineOptions::reread_deferred, `reread` reads the files holding deferred items again; a
  // file it cannot read is reported in the returned messages and its deferred items get no
  // verdict.
  std::vector<std::string> Finish(const Reread& reread = {});
  // Records what a person decided for manual controls (AWS_CONFIG_PROCESS_CHECK rules), as
  // PutExternalEvaluation does; the latest OrderingTimestamp per rule and resource wins. An
  // evaluation without a region goes to the account's first region (by name) in the data. Call
  // after Finish. Returns one message per evaluation refused (unknown rule, not a process check,
  // no region known).
  std::vector<std::string> AddExternalEvaluations(
      const std::vector<model::ExternalEvaluation>& evals);

  const std::vector<ActiveRule>& rules() const { return rules_; }
  const std::vector<Resource, HugePageAllocator<Resource>>& resources() const { return resources_; }
  // The evaluations of the winning capture of `r`, one per rule.
  std::span<const Evaluation> Evaluations(const Resource& r) const {
    return {evals_.data() + r.eval_begin, r.eval_count};
  }
  const Interner& names() const { return names_; }
  const Interner& annotations() const { return annotations_; }
  const std::vector<MissingFact>& missing_facts() const { return missing_; }
  EpochMillis run_time() const { return options_.run_time; }
  std::uint64_t items_read() const { return items_read_; }
  // Every capture read, when EngineOptions::keep_item_json: (resource index, capture, json).
  struct Capture {
    std::uint32_t resource;
    EpochMillis capture;
    model::ItemStatus status;
    std::string_view json;
  };
  const std::vector<Capture>& history() const { return history_; }
  const model::FactStore& facts() const { return facts_; }

 private:
  friend class Batch;
  class Env;
  bool InScope(const ActiveRule& r, const model::ConfigurationItem& ci) const;
  // Every account with items, and the first of its regions by name.
  std::map<std::string, std::string> FirstRegions() const;
  std::uint32_t Intern(std::string_view s) { return names_.Id(s); }
  // The resource with this key, added (with *inserted = true) if new. Caller holds mu_.
  std::uint32_t FindOrAddResource(std::string_view account, std::string_view region,
                                  std::string_view type, std::string_view id, bool* inserted);
  void Record(std::uint32_t resource, std::uint32_t rule, const rules::Verdict& v);
  void Record(std::uint32_t resource, std::uint32_t rule, rules::Compliance compliance,
              std::uint32_t annotation);
  void NoteMissing(const ActiveRule& r, std::string_view fact, std::string_view account,
                   std::string_view region, std::string_view detail);
  rules::Verdict Run(const ActiveRule& r, const rules::Environment& env,
                     const model::ConfigurationItem& ci) const;
  rules::Verdict RunRule(const ActiveRule& r, const rules::Environment& env,
                         const model::ConfigurationItem& ci) const;

  std::vector<ActiveRule> rules_;
  // With VIGIL_TIMINGS set: time spent in each rule (nanoseconds), printed by Finish.
  std::unique_ptr<std::atomic<std::uint64_t>[]> rule_ns_;
  const model::FactStore& facts_;
  EngineOptions options_;
  std::unordered_map<std::string_view, std::vector<std::uint32_t>> rules_by_type_;
  std::vector<std::uint32_t> rules_any_type_;  // custom policy rules without a Scope
  std::vector<std::string_view> context_types_;
  std::unique_ptr<Env> env_;

  std::mutex mu_;
  StringArena strings_{/*huge=*/true};
  Interner names_;
  Interner annotations_;
  ResourceIndex index_;
  std::vector<Resource, HugePageAllocator<Resource>> resources_;
  // Evaluations of all resources, in blocks; a newer capture appends a new block (the old one
  // is left unused: captures are rare next to items).
  std::vector<Evaluation, HugePageAllocator<Evaluation>> evals_;
  std::vector<std::string_view> deferred_json_;  // per resource, "" if none
  static constexpr std::uint32_t kNoOrdinal = ~std::uint32_t{0};
  std::vector<std::uint32_t> deferred_ordinal_;  // per resource (reread_deferred), or kNoOrdinal
  // A verdict reached in Finish, recorded after the parallel part.
  struct Outcome {
    std::uint32_t resource, rule;
    rules::Verdict verdict;
  };
  // Evaluates the deferred rules in scope of `ci`, the winning capture of resource `idx`.
  // Thread-safe.
  void EvaluateDeferred(std::uint32_t idx, const model::ConfigurationItem& ci,
                        std::vector<Outcome>& out) const;
  void Apply(std::vector<Outcome>& outcomes);
  std::vector<std::string_view> context_json_;  // per resource: the CI's JSON if rules read it
  // Probes (Batch::Probe) of the winning captures of deferred resources.
  struct ProbeOutcome {
    std::uint32_t resource, rule;
    rules::Verdict::Kind kind;
    rules::Compliance compliance;
    std::uint32_t annotation;            // annotations_ id
    std::uint32_t missing;               // annotations_ id of the missing fact's name
    std::uint32_t key_begin, key_count;  // into probe_keys_ (query_keys_ ids)
  };
  std::vector<ProbeOutcome> probes_;
  std::vector<std::uint32_t> probe_keys_;
  Interner query_keys_;
  std::vector<std::uint32_t> probe_begin_;  // per resource: its winning capture's probes
  std::vector<std::uint32_t> probe_count_;
  // Settles the deferred resources whose probes all stand (records their verdicts, and marks
  // them as no longer deferred); the others keep their probes dropped and are evaluated again.
  void SettleProbes();
  std::map<std::tuple<std::uint32_t, std::string, std::string, std::string>, MissingFact,
           std::less<>>
      missing_map_;
  std::vector<MissingFact> missing_;
  std::vector<Capture> history_;
  StringArena blobs_{/*huge=*/true};  // kept item JSON (deferred and context items)
  std::uint64_t items_read_ = 0;
};

}  // namespace vigil::engine
