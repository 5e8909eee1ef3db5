// Account facts: data AWS's periodic rules read from service APIs rather than from configuration
// items. vigil reads the unmodified JSON output of the AWS CLI call behind each fact, stored as
//
//     <anywhere>/<account-id>/<region>/<fact-name>.json
//
// (the account and region are the nearest enclosing folders that look like a 12-digit account ID
// and a region name). `scripts/collect-facts` writes this layout. Global facts (IAM, account-level
// S3 settings) may sit under any region of the account.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "json/value.h"

namespace vigil::model {

struct FactKind {
  std::string_view name;     // file name without .json, e.g. "iam-get-account-summary"
  std::string_view command;  // the AWS CLI command that produces it (ACCOUNT, REGION and KEY
                             // stand for the account ID, the region and the key)
  bool global;               // account-wide (IAM, S3 account settings) or per region
  // Keyed facts hold one CLI answer per resource: the file is a JSON object
  // {"<KEY>": <output of `command` for KEY>, ...}. `keys_from` names where the keys come from,
  // as "<fact>:<path>" with a path such as "trailList[].TrailARN". Empty for plain facts.
  std::string_view keys_from = {};
  // AWS error codes that are an answer rather than a failure (for example NoSuchEntity for an
  // account without a password policy), comma-separated. collect-facts records such an answer as
  // {"Error": {"Code": "...", "Message": "..."}}.
  std::string_view answer_errors = {};
  // What the fact is for, shown by `vigil facts list`.
  std::string_view description = {};
};

// Every fact vigil knows: the built-in ones, then those registered by rules, in registration
// order. Complete once static initialisation is over.
std::span<const FactKind> FactKinds();
const FactKind* FindFactKind(std::string_view name);

// Registers a fact kind from a static object, next to the rules that read it:
//     const model::FactKindRegistration kTrailStatus{{.name = "cloudtrail-get-trail-status", ...}};
struct FactKindRegistration {
  explicit FactKindRegistration(FactKind kind);
};

// Holds parsed facts. Thread-compatible: fill first, then read from many threads.
class FactStore {
 public:
  void Put(std::string_view name, std::string_view account, std::string_view region,
           json::Document doc);
  // The fact for the account; a regional fact must match `region`, a global one may come from
  // any region of the account. Missing if absent.
  json::Value Get(std::string_view name, std::string_view account, std::string_view region) const;
  // Every (account, region) that holds the fact.
  std::vector<std::pair<std::string, std::string>> Locations(std::string_view name) const;
  bool empty() const { return facts_.empty(); }
  // Moves every fact of `other` in (a fact already present here is kept).
  void MergeFrom(FactStore&& other) { facts_.merge(other.facts_); }

 private:
  std::map<std::tuple<std::string, std::string, std::string>, json::Document, std::less<>> facts_;
};

}  // namespace vigil::model
