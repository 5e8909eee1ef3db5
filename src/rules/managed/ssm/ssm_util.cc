#include "rules/managed/ssm/ssm_util.h"

#include <string>
#include <vector>

#include "common/strings.h"

namespace vigil::rules::ssm {

namespace {

// Content.<type>, matching the type name exactly, else ignoring case.
json::Value TypeContent(json::Value content, std::string_view type) {
  if (json::Value v = content.Get(type); !v.Missing()) return v;
  const std::string want = ToLower(type);
  for (const auto m : content.Members())
    if (ToLower(m.key) == want) return m.value;
  return {};
}

}  // namespace

Verdict ComplianceItemVerdict(const model::ConfigurationItem& item,
                              std::string_view compliance_type, std::string_view noun) {
  const json::Value content = item.Config().Get("AWS:ComplianceItem").Get("Content");
  const json::Value entries = TypeContent(content, compliance_type);

  size_t with_status = 0;
  std::vector<std::string> failing;
  auto visit = [&](std::string label, json::Value entry) {
    const std::string_view status = Trim(entry.Get("Status").String().value_or(""));
    if (status.empty()) return;
    ++with_status;
    if (ToLower(status) == "compliant") return;
    if (label.empty()) label = std::string(entry.Get("Id").String().value_or("?"));
    failing.push_back(label + " is " + std::string(status));
  };
  for (const auto m : entries.Members()) visit(std::string(m.key), m.value);
  for (json::Value e : entries.Elements()) visit("", e);

  if (with_status == 0)
    return Verdict::NotApplicable("no " + std::string(noun) + " compliance status is recorded");
  if (failing.empty()) return Verdict::Compliant();
  std::string list;
  for (const std::string& f : failing) list += (list.empty() ? "" : "; ") + f;
  return Verdict::NonCompliant(TruncateUtf8(std::to_string(failing.size()) + " " +
                                                std::string(noun) +
                                                " compliance item(s) not COMPLIANT: " + list,
                                            256));
}

}  // namespace vigil::rules::ssm
