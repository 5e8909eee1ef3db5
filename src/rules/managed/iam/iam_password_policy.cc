// IAM_PASSWORD_POLICY (iam-password-policy): the account password policy must meet every
// requirement the parameters state. Account-level: evaluated once per account against an
// AWS::::Account item, from `aws iam get-account-password-policy`.
//
// AWS's documented quirks, followed exactly:
// - The boolean parameters are case-sensitive: only the exact lowercase "true" requires the
//   property; "TRUE", "True" or " true" are treated as false. So they are read raw with Param(),
//   not with BoolParam().
// - With no policy set (the call fails with NoSuchEntity: the default IAM policy is in effect)
//   the account is NON_COMPLIANT.
//
// Choices where AWS's page is silent:
// - MinimumPasswordLength and PasswordReusePrevention are minimums (policy value >= parameter);
//   MaxPasswordAge is a maximum: passwords must expire (ExpirePasswords / MaxPasswordAge present)
//   within at most that many days. A policy field that is absent fails its requirement (the API
//   omits PasswordReusePrevention and MaxPasswordAge when they are not set).
// - A fact holding any error other than NoSuchEntity (for example AccessDenied) is no verdict.
#include <cstdint>
#include <optional>
#include <string>

#include "common/strings.h"
#include "rules/fact_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kFact = "iam-get-account-password-policy";

constexpr std::string_view kBoolRequirements[] = {
    "RequireUppercaseCharacters", "RequireLowercaseCharacters", "RequireSymbols", "RequireNumbers"};

void Fail(std::string& failures, const std::string& what) {
  failures += (failures.empty() ? "" : "; ") + what;
}

std::string Text(std::optional<std::int64_t> v) { return v ? std::to_string(*v) : "unset"; }

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  Verdict missing;
  const auto answer = ReadFactAnswer(ctx.Fact(kFact, account), kFact,
                                     "the account password policy was not collected", &missing);
  if (!answer) return missing;
  if (answer->error)
    return Verdict::NonCompliant("no account password policy is set (the default IAM policy)");
  const json::Value policy = answer->value.Get("PasswordPolicy");
  if (!policy.IsObject())
    return Verdict::MissingFact(std::string(kFact), "the fact has no PasswordPolicy");

  std::string unset_flags;
  for (std::string_view name : kBoolRequirements) {
    if (ctx.Param(name).value_or("") != "true") continue;
    if (!policy.Get(name).Bool().value_or(false))
      unset_flags += (unset_flags.empty() ? "" : ", ") + std::string(name);
  }
  std::string failures;
  if (!unset_flags.empty()) Fail(failures, "not set: " + unset_flags);
  if (auto min_length = ctx.IntParam("MinimumPasswordLength")) {
    const auto have = policy.Get("MinimumPasswordLength").Int();
    if (!have || *have < *min_length)
      Fail(failures, "MinimumPasswordLength " + Text(have) + " < " + std::to_string(*min_length));
  }
  if (auto reuse = ctx.IntParam("PasswordReusePrevention")) {
    const auto have = policy.Get("PasswordReusePrevention").Int();
    if (!have || *have < *reuse)
      Fail(failures, "PasswordReusePrevention " + Text(have) + " < " + std::to_string(*reuse));
  }
  if (auto max_age = ctx.IntParam("MaxPasswordAge")) {
    const auto have = policy.Get("MaxPasswordAge").Int();
    const bool expires = policy.Get("ExpirePasswords").Bool().value_or(have.has_value());
    if (!expires || !have || *have <= 0)
      Fail(failures, "MaxPasswordAge unset, want <= " + std::to_string(*max_age));
    else if (*have > *max_age)
      Fail(failures, "MaxPasswordAge " + std::to_string(*have) + " > " + std::to_string(*max_age));
  }
  if (failures.empty()) return Verdict::Compliant();
  return Verdict::NonCompliant(TruncateUtf8(failures, 256));
}

const ManagedRule kRule{{
    .identifier = "IAM_PASSWORD_POLICY",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters =
        {
            {.name = "RequireUppercaseCharacters",
             .type = ParamType::kBoolean,
             .default_value = "true",
             .optional = true},
            {.name = "RequireLowercaseCharacters",
             .type = ParamType::kBoolean,
             .default_value = "true",
             .optional = true},
            {.name = "RequireSymbols",
             .type = ParamType::kBoolean,
             .default_value = "true",
             .optional = true},
            {.name = "RequireNumbers",
             .type = ParamType::kBoolean,
             .default_value = "true",
             .optional = true},
            {.name = "MinimumPasswordLength",
             .type = ParamType::kInt,
             .default_value = "14",
             .optional = true},
            {.name = "PasswordReusePrevention",
             .type = ParamType::kInt,
             .default_value = "24",
             .optional = true},
            {.name = "MaxPasswordAge",
             .type = ParamType::kInt,
             .default_value = "90",
             .optional = true},
        },
    .evaluate = &Evaluate,
    .facts = {kFact},
}};

}  // namespace
}  // namespace vigil::rules
