// LAMBDA_FUNCTION_SETTINGS_CHECK (lambda-function-settings-check): Lambda functions must use the
// expected runtime, role, timeout and memory size. AWS: NON_COMPLIANT if the function settings
// for runtime, role, timeout and memory size do not match the expected values; the rule ignores
// functions with the 'Image' package type. `runtime` (required) lists the allowed runtimes,
// `role` names the expected execution role (name or ARN), `memorySize` (default 128 MB) and
// `timeout` (default 3 s) the expected values.
//
// Data: configuration.runtime, role, memorySize, timeout and packageType of the
// AWS::Lambda::Function CI.
//
// Choices where AWS's page is silent:
// - Image functions are NOT_APPLICABLE.
// - memorySize and timeout must equal the parameters ("match the expected values"), so the
//   defaults apply when the parameters are not given.
// - `role` matches the role ARN exactly, or the role's name (the last segment of the ARN, after
//   any path). Runtimes compare exactly.
// - A zip function without runtime, memorySize or timeout has no verdict.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

bool RoleMatches(std::string_view wanted, std::string_view arn) {
  wanted = Trim(wanted);
  arn = Trim(arn);
  if (wanted == arn) return true;
  if (StartsWith(wanted, "arn:")) return false;
  const size_t slash = arn.rfind('/');
  return slash != std::string_view::npos && arn.substr(slash + 1) == wanted;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& function) {
  const json::Value config = function.Config();
  if (ToLower(Trim(config.Get("packageType").String().value_or(""))) == "image")
    return Verdict::NotApplicable("the function is packaged as a container image");
  const std::string_view runtime = Trim(config.Get("runtime").String().value_or(""));
  const std::optional<std::int64_t> memory = config.Get("memorySize").Int();
  const std::optional<std::int64_t> timeout = config.Get("timeout").Int();
  if (runtime.empty() || !memory || !timeout)
    return Verdict::MissingFact("AWS::Lambda::Function",
                                "the configuration item lacks runtime, memorySize or timeout");

  std::string wrong;
  auto add = [&wrong](const std::string& s) { wrong += (wrong.empty() ? "" : "; ") + s; };
  const std::vector<std::string_view> runtimes = ctx.CsvParam("runtime");
  if (std::find(runtimes.begin(), runtimes.end(), runtime) == runtimes.end())
    add("runtime " + std::string(runtime) + " is not allowed");
  if (auto role = ctx.Param("role"); role && !Trim(*role).empty()) {
    const std::string_view actual = config.Get("role").String().value_or("");
    if (!RoleMatches(*role, actual))
      add("role " + std::string(actual) + " is not " + std::string(Trim(*role)));
  }
  const std::int64_t want_memory = ctx.IntParam("memorySize").value_or(128);
  if (*memory != want_memory)
    add("memory size " + std::to_string(*memory) + " MB, expected " + std::to_string(want_memory));
  const std::int64_t want_timeout = ctx.IntParam("timeout").value_or(3);
  if (*timeout != want_timeout)
    add("timeout " + std::to_string(*timeout) + " s, expected " + std::to_string(want_timeout));
  if (!wrong.empty()) return Verdict::NonCompliant(TruncateUtf8(wrong, 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "LAMBDA_FUNCTION_SETTINGS_CHECK",
    .resource_types = {"AWS::Lambda::Function"},
    .trigger = Trigger::kConfigurationChange,
    .parameters =
        {{.name = "runtime", .type = ParamType::kCsv, .optional = false},
         {.name = "role", .type = ParamType::kString, .optional = true},
         {.name = "memorySize", .type = ParamType::kInt, .default_value = "128", .optional = true},
         {.name = "timeout", .type = ParamType::kInt, .default_value = "3", .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
