#include "rules/managed/opensearch/opensearch_util.h"

#include <string>

#include "common/strings.h"

namespace vigil::rules::opensearch {

bool Truthy(const json::Value& v) {
  if (auto b = v.Bool()) return *b;
  if (auto s = v.String()) return ToLower(Trim(*s)) == "true";
  return false;
}

Verdict RequireOptionEnabled(const json::Value& config, std::string_view option,
                             const Spelling& spelling, std::string_view feature) {
  if (!Truthy(config.Get(option).Get(spelling.enabled)))
    return Verdict::NonCompliant(std::string(feature) + " is not enabled");
  return Verdict::Compliant();
}

std::string_view LogPublishingKey(std::string_view log_type) {
  const std::string t = ToLower(Trim(log_type));
  if (t == "search") return "SEARCH_SLOW_LOGS";
  if (t == "index") return "INDEX_SLOW_LOGS";
  if (t == "error") return "ES_APPLICATION_LOGS";
  return "";
}

Verdict EvaluateLogsToCloudWatch(const RuleContext& ctx, const json::Value& config,
                                 const Spelling& spelling) {
  const json::Value options = config.Get(spelling.log_publishing_options);
  const std::vector<std::string_view> wanted = ctx.CsvParam("logTypes");
  if (wanted.empty()) {
    for (const auto m : options.Members())
      if (Truthy(m.value.Get(spelling.enabled))) return Verdict::Compliant();
    return Verdict::NonCompliant("no log type is published to CloudWatch Logs");
  }
  std::string missing;
  std::string unknown;
  for (std::string_view type : wanted) {
    const std::string_view key = LogPublishingKey(type);
    if (key.empty()) {
      unknown += (unknown.empty() ? "" : ", ") + std::string(type);
    } else if (!Truthy(options.Get(key).Get(spelling.enabled))) {
      missing += (missing.empty() ? "" : ", ") + std::string(type);
    }
  }
  if (missing.empty() && unknown.empty()) return Verdict::Compliant();
  std::string why;
  if (!missing.empty()) why = "not published to CloudWatch Logs: " + missing;
  if (!unknown.empty())
    why += std::string(why.empty() ? "" : "; ") +
           "unknown log type (valid: search, index, error): " + unknown;
  return Verdict::NonCompliant(TruncateUtf8(why, 256));
}

}  // namespace vigil::rules::opensearch
