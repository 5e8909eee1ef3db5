#include "rules/managed/networkfirewall/networkfirewall_util.h"

#include <cctype>
#include <string>
#include <vector>

#include "common/strings.h"

namespace vigil::rules::networkfirewall {
namespace {

json::Value Field(const json::Value& v, std::string_view camel_name) {
  json::Value out = v.Get(camel_name);
  if (!out.Missing() || camel_name.empty()) return out;
  std::string pascal(camel_name);
  pascal[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(pascal[0])));
  return v.Get(pascal);
}

}  // namespace

Verdict JudgeDefaultActions(const RuleContext& ctx, const model::ConfigurationItem& item,
                            std::string_view field, std::string_view param, std::string_view what) {
  const json::Value policy = Field(item.Config(), "firewallPolicy");
  std::vector<std::string> allowed;
  for (std::string_view a : ctx.CsvParam(param)) allowed.push_back(ToLower(a));
  std::vector<std::string> standard;
  for (const json::Value a : Field(policy, field).Elements()) {
    const std::string action = ToLower(Trim(a.String().value_or("")));
    if (StartsWith(action, "aws:")) standard.push_back(action);
  }
  if (standard.empty())
    return Verdict::NonCompliant("no stateless default action for " + std::string(what) +
                                 " is recorded");
  std::string list;
  for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
  for (const std::string& action : standard) {
    bool ok = false;
    for (const std::string& a : allowed) ok |= a == action;
    if (!ok)
      return Verdict::NonCompliant(
          TruncateUtf8("stateless default action for " + std::string(what) + " is " + action +
                           ", not one of " + std::string(param) + " (" + list + ")",
                       256));
  }
  return Verdict::Compliant(TruncateUtf8(
      "stateless default action for " + std::string(what) + " is " + standard.front(), 256));
}

}  // namespace vigil::rules::networkfirewall
