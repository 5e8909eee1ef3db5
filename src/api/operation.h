// How an AWS Config operation is implemented in `vigil serve`: a handler function per operation,
// registered by name in a Registry. Operations come in groups, one file each
// (recorder_ops.cc, delivery_channel_ops.cc, config_rule_ops.cc, ...), and each group has one
// Register* function listed in registry.cc; adding a group is one new file and one line there.
//
// A handler receives the request body already validated against the operation's input shape
// (types, required members, enums, lengths, patterns), runs inside one store transaction, and
// returns either the response body or an AWS error. Returning an error rolls the transaction
// back.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "api/model.h"
#include "api/store.h"
#include "aws/sigv4.h"
#include "common/time.h"
#include "json/value.h"

namespace vigil::api {

// Service limits; AWS's defaults unless the operator changes them.
struct Limits {
  std::int64_t max_config_rules = 1000;  // per account and region
};

struct Context {
  Tenant tenant;
  EpochMillis now = 0;
  Store* store = nullptr;
  const ServiceModel* model = nullptr;
  const Limits* limits = nullptr;
};

struct Outcome {
  std::string body = "{}";          // the response JSON when `error` is empty
  std::optional<aws::Error> error;  // AWS's error (400 unless it says otherwise)

  static Outcome Ok(std::string body) { return {std::move(body), std::nullopt}; }
  static Outcome Fail(std::string code, std::string message) {
    return {"", aws::Error{std::move(code), std::move(message)}};
  }
};

using Handler = Outcome (*)(Context& ctx, json::Value input);

class Registry {
 public:
  void Add(std::string_view operation, Handler handler) {
    handlers_.emplace(std::string(operation), handler);
  }
  Handler Find(std::string_view operation) const {
    const auto it = handlers_.find(operation);
    return it == handlers_.end() ? nullptr : it->second;
  }

  // Every implemented operation, built once.
  static const Registry& Default();

 private:
  std::map<std::string, Handler, std::less<>> handlers_;
};

// The operation groups (one file each).
void RegisterRecorderOperations(Registry& r);
void RegisterDeliveryChannelOperations(Registry& r);
void RegisterConfigRuleOperations(Registry& r);
void RegisterEvaluationOperations(Registry& r);
void RegisterResourceOperations(Registry& r);
void RegisterDeliveryOperations(Registry& r);
void RegisterRuleEvaluationOperations(Registry& r);
void RegisterConformancePackOperations(Registry& r);
void RegisterTagOperations(Registry& r);
void RegisterRetentionOperations(Registry& r);

// Helpers shared by the groups.

// Creates or updates a config rule (AWS's ConfigRule shape) exactly as PutConfigRule does (AWS's
// checks, the rule limit, ARN and id kept on update, `tags_list` — a TagsList — taken on creation
// only) and returns PutConfigRule's outcome. `created_by` is the service making the rule
// ("config-conforms.amazonaws.com" for conformance packs; empty for PutConfigRule): it is stored
// as the rule's CreatedBy, and a rule may only be updated by the one who created it.
Outcome StoreConfigRule(Context& ctx, json::Value rule, json::Value tags_list,
                        std::string_view created_by);

// "aws", "aws-cn" or "aws-us-gov", from the region's name.
std::string Partition(std::string_view region);
// `n` random characters from [a-z0-9], as AWS's generated ids use.
std::string RandomId(size_t n);
// Epoch seconds with millisecond precision, as the JSON protocol writes timestamps.
double EpochSeconds(EpochMillis t);
// An opaque pagination token carrying `position`, and back (nullopt if `token` was not made here).
std::string MakeNextToken(std::string_view position);
std::optional<std::string> ReadNextToken(std::string_view token);
// AWS's NoSuchConfigRuleException for the rule `name`.
Outcome NoSuchConfigRule(std::string_view name);
// The strings of a list member (absent: empty).
std::vector<std::string> Strings(json::Value list);

}  // namespace vigil::api
