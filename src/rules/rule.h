// The managed-rule framework.
//
// A managed rule is one .cc file that defines an evaluate function and a `const ManagedRule`
// describing it; constructing the ManagedRule registers it. Rules never throw and never guess:
// when the data a verdict needs is absent they return Verdict::MissingFact, and the engine warns
// the user instead of recording a verdict.
#pragma once

#include <any>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "model/configuration_item.h"
#include "model/facts.h"

namespace vigil::rules {

// The compliance of one evaluation, as AWS's ComplianceType.
enum class Compliance : std::uint8_t {
  kCompliant,
  kNonCompliant,
  kNotApplicable,
  kInsufficientData,
};
std::string_view ComplianceName(Compliance c);
std::optional<Compliance> ParseCompliance(std::string_view s);

// What a rule concludes about one resource.
struct Verdict {
  enum class Kind : std::uint8_t { kDecided, kMissingFact };
  Kind kind = Kind::kDecided;
  Compliance compliance = Compliance::kNotApplicable;
  std::string annotation;  // at most 256 bytes once recorded (AWS's limit)
  std::string missing;     // for kMissingFact: the fact's name

  static Verdict Compliant(std::string annotation = {});
  static Verdict NonCompliant(std::string annotation = {});
  static Verdict NotApplicable(std::string annotation = {});
  // No verdict: the fact `name` (a model::FactKind name, or a resource type such as
  // "AWS::EC2::FlowLog") is needed and was not provided for this account/region.
  static Verdict MissingFact(std::string name, std::string why = {});
};

enum class Trigger : std::uint8_t { kConfigurationChange, kPeriodic, kBoth };
enum class ParamType : std::uint8_t { kString, kInt, kDouble, kBoolean, kCsv, kStringMap };
std::string_view ParamTypeName(ParamType t);

struct ParamSpec {
  std::string_view name;
  ParamType type = ParamType::kString;
  std::string_view default_value = {};  // "" when AWS documents none
  bool optional = true;
};

// What a rule may read besides the item: account facts and other recorded items.
class Environment {
 public:
  virtual ~Environment() = default;
  virtual json::Value Fact(std::string_view name, std::string_view account,
                           std::string_view region) const = 0;
  // Latest, not-deleted items of `type` in the account and region ("" = any region of the
  // account, for account-wide types such as AWS::S3::AccountPublicAccessBlock). `known` tells
  // whether items of that type were recorded there at all (an empty list may then mean "none
  // exist").
  virtual std::vector<const model::ConfigurationItem*> Items(std::string_view type,
                                                             std::string_view account,
                                                             std::string_view region,
                                                             bool* known) const = 0;
  // The time of the evaluation (what AWS's periodic rules compare ages and expiry dates with).
  virtual EpochMillis Now() const = 0;
  // Data derived from other items or facts, built once per `key` for the whole run and shared by
  // every evaluation: an index of network interfaces by security group, rather than a scan of
  // all interfaces for each group. Thread-safe. Use RuleContext::Memo.
  virtual const std::any& Memo(const std::string& key,
                               const std::function<std::any()>& build) const = 0;
};

struct ManagedRule;

// The per-evaluation view a rule receives: its effective parameters and the environment.
class RuleContext {
 public:
  RuleContext(const ManagedRule& rule, std::span<const std::pair<std::string, std::string>> params,
              const Environment& env)
      : rule_(rule), params_(params), env_(env) {}

  // The parameter as given, or its documented default; nullopt if neither.
  std::optional<std::string_view> Param(std::string_view name) const;
  // Parsed forms. Values were validated when the rule was loaded, so these do not fail for
  // present values.
  std::optional<std::int64_t> IntParam(std::string_view name) const;
  std::optional<double> DoubleParam(std::string_view name) const;
  // True only for "true" in any case; see IAM_PASSWORD_POLICY for AWS's stricter quirk.
  std::optional<bool> BoolParam(std::string_view name) const;
  // A CSV parameter split on commas, entries trimmed, empties dropped.
  std::vector<std::string_view> CsvParam(std::string_view name) const;

  const Environment& env() const { return env_; }
  // When the evaluation runs: the run's start time in `vigil evaluate`, the case's `now` in
  // fixtures. Rules that compare ages or expiry dates with "now" use this, never the wall clock.
  EpochMillis Now() const { return env_.Now(); }
  // The value `build()` returns for `key`, computed once per run (see Environment::Memo). The
  // key must name everything the value depends on (type of data, account, region).
  template <typename T, typename Build>
  const T& Memo(const std::string& key, Build build) const {
    return *std::any_cast<T>(&env_.Memo(key, [&]() -> std::any { return T(build()); }));
  }
  json::Value Fact(std::string_view name, const model::ConfigurationItem& item) const {
    return env_.Fact(name, item.account_id, item.region);
  }

 private:
  const ManagedRule& rule_;
  std::span<const std::pair<std::string, std::string>> params_;
  const Environment& env_;
};

using EvaluateFn = Verdict (*)(const RuleContext&, const model::ConfigurationItem&);

// A resource type AWS Config does not record but whose periodic managed rules AWS reports on
// (EMR clusters, ElastiCache clusters, Network Firewall logging): the engine makes one item per
// element of the array `list` in account fact `fact` — its `id` field is the resource ID, the
// element itself the item's configuration — in every account and region holding the fact,
// unless an item of that type and ID was recorded.
struct SynthesizedType {
  std::string_view type;  // e.g. "AWS::EMR::Cluster"
  std::string_view fact;  // e.g. "emr-list-clusters"
  std::string_view list;  // e.g. "Clusters"
  std::string_view id;    // e.g. "Id"
};

struct ManagedRuleDef {
  std::string_view identifier;
  // Resource types evaluated. Empty for account-level rules, which are evaluated once per
  // account and region holding `facts[0]`, against an item of type AWS::::Account.
  std::vector<std::string_view> resource_types;
  Trigger trigger = Trigger::kConfigurationChange;
  std::vector<ParamSpec> parameters;
  EvaluateFn evaluate = nullptr;
  // Account facts (model::FactKind names) the rule reads.
  std::vector<std::string_view> facts;
  // Other resource types the rule reads through Environment::Items; items in scope are then
  // evaluated after all input has been read.
  std::vector<std::string_view> context_types;
  // When set, `context_types` are read only if this parameter has a value (given, or a default):
  // S3_BUCKET_REPLICATION_ENABLED looks destination buckets up only for a ReplicationType. The
  // engine then neither keeps those items nor defers the rule's evaluations without it.
  std::string_view context_param;
  // Items made from facts for resource types AWS Config does not record.
  std::vector<SynthesizedType> synthesized;
};

struct ManagedRule : ManagedRuleDef {
  explicit ManagedRule(ManagedRuleDef def);
  const ParamSpec* FindParam(std::string_view name) const;
};

// Every registered rule, sorted by identifier.
std::span<const ManagedRule* const> AllRules();
const ManagedRule* FindRule(std::string_view identifier);

// Checks `params` against the rule's declared parameters: unknown names, missing required
// parameters without a default, and values of the wrong type. Returns one message per problem,
// each naming the parameter and the expected type.
std::vector<std::string> ValidateParams(
    std::string_view identifier, std::span<const ParamSpec> specs,
    std::span<const std::pair<std::string, std::string>> params);

// The 822 managed-rule identifiers AWS publishes, with their declared metadata.
struct CatalogueEntry {
  std::string identifier;
  std::string trigger;  // "Configuration changes", "Periodic", "Configuration changes and Periodic"
  std::vector<std::string> resource_types;
  std::vector<ParamSpec> parameters;  // views into the catalogue's own storage
};
std::span<const CatalogueEntry> Catalogue();
const CatalogueEntry* FindCatalogueEntry(std::string_view identifier);

}  // namespace vigil::rules
