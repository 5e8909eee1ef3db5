#include "rules/managed/ecs/ecs_util.h"

#include <cctype>
#include <charconv>

#include "common/strings.h"

namespace vigil::rules::ecs {
namespace {

// "FAMILY:REVISION", possibly after "...:task-definition/".
std::optional<Revision> ParseRevision(std::string_view s) {
  s = Trim(s);
  if (const size_t slash = s.rfind("task-definition/"); slash != std::string_view::npos)
    s = s.substr(slash + std::string_view("task-definition/").size());
  else if (StartsWith(s, "arn:"))
    return std::nullopt;
  const size_t colon = s.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const std::string_view digits = s.substr(colon + 1);
  Revision r;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), r.number);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty())
    return std::nullopt;
  r.family = std::string(s.substr(0, colon));
  return r;
}

bool Active(const model::ConfigurationItem& td) {
  const auto status = Field(td.Config(), "Status").String();
  return !status || status->empty() || ToLower(*status) == "active";
}

}  // namespace

json::Value Field(json::Value obj, std::string_view pascal) {
  json::Value v = obj.Get(pascal);
  if (!v.Missing() || pascal.empty()) return v;
  std::string camel(pascal);
  camel[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(camel[0])));
  return obj.Get(camel);
}

std::optional<Revision> RevisionOf(const model::ConfigurationItem& td) {
  if (auto arn = Field(td.Config(), "TaskDefinitionArn").String())
    if (auto r = ParseRevision(*arn)) return r;
  if (auto r = ParseRevision(td.arn)) return r;
  if (auto r = ParseRevision(td.resource_name)) return r;
  return ParseRevision(td.resource_id);
}

std::optional<Verdict> OutsideLatestActiveRevision(const RuleContext& ctx,
                                                   const model::ConfigurationItem& td) {
  if (!Active(td)) {
    const std::string status(Field(td.Config(), "Status").String().value_or(""));
    return Verdict::NotApplicable("the task definition revision is " + status +
                                  "; only the latest ACTIVE revision is evaluated");
  }
  const std::optional<Revision> mine = RevisionOf(td);
  if (!mine) return std::nullopt;
  bool known = false;
  for (const model::ConfigurationItem* other :
       ctx.env().Items(kTaskDefinitionType, td.account_id, td.region, &known)) {
    if (other == &td || !Active(*other)) continue;
    const std::optional<Revision> r = RevisionOf(*other);
    if (r && r->family == mine->family && r->number > mine->number)
      return Verdict::NotApplicable("revision " + std::to_string(mine->number) + " of " +
                                    mine->family + " is superseded by ACTIVE revision " +
                                    std::to_string(r->number));
  }
  return std::nullopt;
}

json::Value ContainerDefinitions(const model::ConfigurationItem& td,
                                 std::optional<Verdict>* missing) {
  const json::Value defs = Field(td.Config(), "ContainerDefinitions");
  if (defs.IsArray()) {
    *missing = std::nullopt;
    return defs;
  }
  *missing = Verdict::MissingFact(std::string(kTaskDefinitionType),
                                  "the configuration item has no ContainerDefinitions");
  return {};
}

std::string ContainerLabel(json::Value container, size_t index) {
  if (auto name = Field(container, "Name").String(); name && !name->empty())
    return std::string(*name);
  return "container " + std::to_string(index + 1);
}

}  // namespace vigil::rules::ecs
