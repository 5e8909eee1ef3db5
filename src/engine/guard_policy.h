// AWS Config custom policy rules (Source.Owner CUSTOM_POLICY): a Guard policy evaluated against
// each configuration item in the rule's scope, as AWS Config runs it.
//
// The item is given to Guard as the JSON AWS Config records (resourceType, configuration,
// supplementaryConfiguration, tags, relationships, …), with `configuration` and
// `supplementaryConfiguration` always as objects even where the input spelt them as JSON strings
// (the API's spelling). The file status decides the compliance, as AWS maps it: FAIL (some rule
// failed) → NON_COMPLIANT, PASS (none failed, one passed) → COMPLIANT, SKIP (every rule skipped)
// → NOT_APPLICABLE. A NON_COMPLIANT annotation is the custom message (`<< … >>`) of the first
// failing clause, else the names of the failing rules.
//
// Choices where AWS is silent: the rule's InputParameters are not visible to the policy (AWS
// documents no way to read them from Guard); a policy that stops with a Guard error (`empty` on
// a number, an undefined variable) gives no verdict for that item and a warning with cfn-guard's
// message, where AWS would record an evaluation error.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::engine {

class GuardPolicy {
 public:
  // Parses and compiles the policy text; the error names the rule, line and column.
  static Result<std::shared_ptr<const GuardPolicy>> Compile(std::string_view rule_name,
                                                            std::string policy_text);
  ~GuardPolicy();
  // Thread-safe.
  rules::Verdict Evaluate(const model::ConfigurationItem& ci) const;

 private:
  GuardPolicy();
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace vigil::engine
