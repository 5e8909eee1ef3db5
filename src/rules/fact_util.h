// Helpers shared by the managed rules of several services for reading what they judge: account
// facts that may hold an AWS error answer, and configuration fields that AWS Config spells in
// PascalCase for some resource types and in camelCase for others.
#pragma once

#include <optional>
#include <string_view>

#include "json/value.h"
#include "rules/rule.h"

namespace vigil::rules {

// An AWS error answer. For the error codes a fact kind lists in `answer_errors` (for example
// InvalidAccessException for an account not subscribed to Security Hub), collect-facts records
// {"Error": {"Code": "...", "Message": "..."}} in place of the CLI's output.
struct ErrorAnswer {
  std::string_view code;
  std::string_view message;
};

// The error answer `answer` holds, or nullopt when it holds the CLI's output (or nothing).
std::optional<ErrorAnswer> ErrorAnswerOf(json::Value answer);

// A usable answer of an account fact: the CLI's output, or an error answer that is an answer
// (`error` set; `value` is then the {"Error": ...} object).
struct FactAnswer {
  json::Value value;
  std::optional<ErrorAnswer> error;
};

// Reads `answer`, the value of the account fact `fact` (or its answer for one key of a keyed
// fact). Returns it when it is the CLI's output, or an error answer whose code the fact kind
// lists in `answer_errors` (an answer, not a failure). Otherwise returns nullopt and sets
// `*missing` to MissingFact(fact): `absent` says why when the answer is absent or not a JSON
// object; FailedAnswer when it is another error.
std::optional<FactAnswer> ReadFactAnswer(json::Value answer, std::string_view fact,
                                         std::string_view absent, Verdict* missing);

// The MissingFact verdict for an error answer of `fact` that is no answer (an access denial, a
// throttled call...): "<call> failed with '<code>'", <call> naming the fact kind's CLI command
// ("describe-hub").
Verdict FailedAnswer(std::string_view fact, std::string_view code);

// Member `pascal` of `obj` ("ContainerDefinitions"), else the same name with its first letter
// lower-cased ("containerDefinitions"): AWS Config records some resource types in
// CloudFormation's PascalCase and the service APIs spell the same fields in camelCase. Missing
// if neither is there.
json::Value PascalOrCamel(json::Value obj, std::string_view pascal);

}  // namespace vigil::rules
