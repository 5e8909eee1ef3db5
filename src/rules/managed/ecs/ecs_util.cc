#include "rules/managed/ecs/ecs_util.h"

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

}  // namespace

bool IsActiveRevision(const model::ConfigurationItem& td) {
  const std::string_view status = Trim(PascalOrCamel(td.Config(), "Status").String().value_or(""));
  return status.empty() || ToLower(status) == "active";
}

std::optional<Revision> RevisionOf(const model::ConfigurationItem& td) {
  if (auto arn = PascalOrCamel(td.Config(), "TaskDefinitionArn").String())
    if (auto r = ParseRevision(*arn)) return r;
  if (auto r = ParseRevision(td.arn)) return r;
  if (auto r = ParseRevision(td.resource_name)) return r;
  return ParseRevision(td.resource_id);
}

std::optional<Verdict> OutsideLatestActiveRevision(const RuleContext& ctx,
                                                   const model::ConfigurationItem& td) {
  if (!IsActiveRevision(td)) {
    const std::string status(PascalOrCamel(td.Config(), "Status").String().value_or(""));
    return Verdict::NotApplicable("the task definition revision is " + status +
                                  "; only the latest ACTIVE revision is evaluated");
  }
  const std::optional<Revision> mine = RevisionOf(td);
  if (!mine) return std::nullopt;
  bool known = false;
  for (const model::ConfigurationItem* other :
       ctx.env().Items(kTaskDefinitionType, td.account_id, td.region, &known)) {
    if (other == &td || !IsActiveRevision(*other)) continue;
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
  const json::Value defs = PascalOrCamel(td.Config(), "ContainerDefinitions");
  if (defs.IsArray()) {
    *missing = std::nullopt;
    return defs;
  }
  *missing = Verdict::MissingFact(std::string(kTaskDefinitionType),
                                  "the configuration item has no ContainerDefinitions");
  return {};
}

std::optional<json::Value> LatestActiveContainers(const RuleContext& ctx,
                                                  const model::ConfigurationItem& td,
                                                  Verdict* verdict) {
  if (auto skip = OutsideLatestActiveRevision(ctx, td)) {
    *verdict = *skip;
    return std::nullopt;
  }
  std::optional<Verdict> missing;
  const json::Value containers = ContainerDefinitions(td, &missing);
  if (missing) {
    *verdict = *missing;
    return std::nullopt;
  }
  return containers;
}

std::string ContainerLabel(json::Value container, size_t index) {
  if (auto name = PascalOrCamel(container, "Name").String(); name && !name->empty())
    return std::string(*name);
  return "container " + std::to_string(index + 1);
}

bool IsRootUser(std::string_view user) {
  user = Trim(user);
  const std::string_view name = user.substr(0, user.find(':'));
  return name == "root" || name == "0";
}

void ContainerList::Add(std::string entry) {
  if (count_++ >= max_listed_) return;
  if (!listed_.empty()) listed_ += separator_;
  listed_ += entry;
}

std::string ContainerList::Text() const {
  if (count_ <= max_listed_) return listed_;
  return listed_ + std::string(separator_) + "...";
}

ContainerList OffendingContainers(json::Value containers, bool (*offends)(json::Value container)) {
  ContainerList list(5, ", ");
  size_t i = 0;
  for (json::Value c : containers.Elements()) {
    if (offends(c)) list.Add(ContainerLabel(c, i));
    ++i;
  }
  return list;
}

Verdict JudgeEachContainer(const RuleContext& ctx, const model::ConfigurationItem& td,
                           std::string_view what, bool (*offends)(json::Value container)) {
  Verdict verdict;
  const std::optional<json::Value> containers = LatestActiveContainers(ctx, td, &verdict);
  if (!containers) return verdict;
  const ContainerList offending = OffendingContainers(*containers, offends);
  if (offending.count() > 0)
    return Verdict::NonCompliant(TruncateUtf8(
        std::to_string(offending.count()) + " " + std::string(what) + ": " + offending.Text(),
        256));
  return Verdict::Compliant();
}

}  // namespace vigil::rules::ecs
