#include "rules/managed/redshift/redshift_util.h"

#include <vector>

#include "common/strings.h"

namespace vigil::rules::redshift {

void SettingProblems::Add(std::string_view problem) {
  if (!problems_.empty()) problems_ += "; ";
  problems_ += problem;
}

Verdict SettingProblems::ToVerdict() const {
  if (problems_.empty()) return Verdict::Compliant();
  return Verdict::NonCompliant(TruncateUtf8(problems_, 256));
}

bool RequiredButOff(const RuleContext& ctx, std::string_view param, json::Value recorded) {
  return ctx.BoolParam(param).value_or(true) && !recorded.Bool().value_or(false);
}

Verdict EvaluateNotDefaultName(const RuleContext& ctx, const model::ConfigurationItem& cluster,
                               std::string_view field, std::string_view default_name,
                               std::string_view valid_param, std::string_view what) {
  const std::string_view name = cluster.Config().Get(field).String().value_or("");
  const std::string lower = ToLower(Trim(name));
  if (lower == default_name)
    return Verdict::NonCompliant(std::string(what) + " is the default '" +
                                 std::string(default_name) + "'");
  const std::vector<std::string_view> valid = ctx.CsvParam(valid_param);
  if (valid.empty()) return Verdict::Compliant();
  for (std::string_view v : valid)
    if (ToLower(v) == lower) return Verdict::Compliant();
  return Verdict::NonCompliant(TruncateUtf8(
      std::string(what) + " '" + std::string(name) + "' is not in " + std::string(valid_param),
      256));
}

}  // namespace vigil::rules::redshift
