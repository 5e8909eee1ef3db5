// The stored evaluation results and configuration items of `vigil serve`, shared by the
// operation groups (evaluation_ops.cc, resource_ops.cc, config_rule_ops.cc) and meant for the
// rule engine and the Lambda runner to write through as well, so that every producer of a result
// (PutEvaluations, PutExternalEvaluation, vigil's own rule engine) lands in the same place and
// every compliance query sees it.
//
// Storage layout (documents in the Store, per tenant):
//   "evaluation"       Key({rule, resourceType, resourceId})  -> an EvaluationRecord as JSON
//   "evaluation-by-resource" Key({resourceType, resourceId, rule}) -> the same JSON (an index)
//   "resource"         Key({resourceType, resourceId})        -> the latest configuration item
//   "resource-history" Key({resourceType, resourceId, 20-digit configurationStateId}) -> an item
// Key() joins parts with the byte 0x01 and escapes 0x00-0x02 inside parts, so a prefix of whole
// parts selects exactly the documents of those parts (Store::ListPrefix).
//
// All functions run inside the caller's Store::Transact.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/store.h"
#include "common/time.h"
#include "json/value.h"
#include "json/writer.h"

namespace vigil::api {

struct Context;

inline constexpr std::string_view kEvaluationKind = "evaluation";
inline constexpr std::string_view kEvaluationByResourceKind = "evaluation-by-resource";
inline constexpr std::string_view kResourceKind = "resource";
inline constexpr std::string_view kResourceHistoryKind = "resource-history";

// A request's timestamp member in epoch milliseconds: epoch seconds as botocore sends them, or an
// ISO 8601 string (which AWS also accepts); clamped to +-10^12 seconds; nullopt if absent or
// unreadable.
std::optional<EpochMillis> TimestampMillis(json::Value v);

// Joins `parts` into a document name; with `open` the result ends with the separator, as a
// prefix selecting every name that continues these parts.
std::string Key(const std::vector<std::string_view>& parts, bool open = false);
// The parts of a name made by Key.
std::vector<std::string> SplitKey(std::string_view key);

// One rule's current result for one resource: AWS's EvaluationResult, plus where it came from.
struct EvaluationRecord {
  std::string rule_name;
  std::string resource_type;
  std::string resource_id;
  std::string compliance;         // COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE or INSUFFICIENT_DATA
  std::string annotation;         // may be empty
  EpochMillis ordering_time = 0;  // OrderingTimestamp: the event (item capture, period) judged
  EpochMillis invoked_time = 0;   // ConfigRuleInvokedTime
  EpochMillis recorded_time = 0;  // ResultRecordedTime
  // Who produced it: "PutEvaluations", "PutExternalEvaluation" or "engine".
  std::string source;
  std::string evaluation_mode = "DETECTIVE";

  std::string ToJson() const;
  static std::optional<EvaluationRecord> FromJson(std::string_view json);
};

// Stores `r` as the current result for (rule, type, id) unless the stored one has a later
// OrderingTimestamp (a late delivery never overwrites a newer verdict). Returns whether it was
// stored.
bool PutEvaluation(Store& store, const Tenant& t, const EvaluationRecord& r);
// Removes every result of `rule` (DeleteEvaluationResults, DeleteConfigRule).
void DeleteRuleEvaluations(Store& store, const Tenant& t, std::string_view rule);

// Writes `r` as AWS's EvaluationResult object.
void WriteEvaluationResult(const EvaluationRecord& r, json::Writer& w);

// Result tokens: what vigil hands a rule's evaluator (the Lambda event's `resultToken`) and
// accepts back in PutEvaluations. Format (see docs/serve.md):
//   "vigil-rt1." + hex(payload) + "." + hex(HMAC-SHA256(secret, "vigil-rt1." + hex(payload)))
// with payload the JSON {"a": account, "r": region, "n": rule name, "i": rule id,
// "t": invoked time (epoch ms), "x": expiry (epoch ms)}. The secret is 32 random bytes made on
// first use and kept in the store (tenant ("", ""), kind "server-secret"), so tokens stay valid
// across restarts and are not valid against another --data directory.
struct ResultTokenClaims {
  std::string account_id, region, rule_name, rule_id;
  EpochMillis invoked_time = 0;
  EpochMillis expires = 0;
};
std::string IssueResultToken(Store& store, const ResultTokenClaims& claims);
// Makes the secret if there is none yet.
void EnsureResultTokenSecret(Store& store);
// The claims of a token this store issued whose signature checks; nullopt otherwise (expiry is
// the caller's to check).
std::optional<ResultTokenClaims> VerifyResultToken(Store& store, std::string_view token);
// A token for the rule named `rule_name` in ctx's tenant, invoked now, valid for 6 hours; empty
// if there is no such rule. What the Lambda runner puts in the event's `resultToken`.
std::string IssueResultTokenForRule(Context& ctx, std::string_view rule_name);

}  // namespace vigil::api
