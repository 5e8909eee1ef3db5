#include <algorithm>
#include <deque>
#include <string>

#include "json/value.h"
#include "rules/rule.h"

namespace vigil::rules {

extern const char kCatalogueJson[];  // generated from data/managed-rules-catalogue.json

namespace {

struct CatalogueData {
  std::vector<CatalogueEntry> entries;
  std::deque<std::string> strings;  // backing storage for ParamSpec views
};

ParamType TypeFromCatalogue(std::string_view t) {
  if (t == "int") return ParamType::kInt;
  if (t == "double") return ParamType::kDouble;
  if (t == "boolean") return ParamType::kBoolean;
  if (t == "CSV") return ParamType::kCsv;
  if (t == "StringMap") return ParamType::kStringMap;
  return ParamType::kString;
}

const CatalogueData& Data() {
  static const CatalogueData data = [] {
    CatalogueData d;
    auto doc = json::Document::Parse(kCatalogueJson);
    if (!doc.ok()) return d;  // cannot happen: the file is checked at build time by a test
    for (const auto m : doc->Root().Members()) {
      CatalogueEntry e;
      e.identifier = std::string(m.key);
      e.trigger = std::string(m.value.Get("trigger").String().value_or(""));
      for (const json::Value t : m.value.Get("resourceTypes").Elements())
        e.resource_types.emplace_back(t.String().value_or(""));
      for (const json::Value p : m.value.Get("parameters").Elements()) {
        d.strings.emplace_back(p.Get("name").String().value_or(""));
        const std::string_view name = d.strings.back();
        d.strings.emplace_back(p.Get("default").String().value_or(""));
        const std::string_view def = d.strings.back();
        e.parameters.push_back({name, TypeFromCatalogue(p.Get("type").String().value_or("")), def,
                                p.Get("optional").Bool().value_or(true)});
      }
      d.entries.push_back(std::move(e));
    }
    std::sort(d.entries.begin(), d.entries.end(),
              [](const CatalogueEntry& a, const CatalogueEntry& b) {
                return a.identifier < b.identifier;
              });
    return d;
  }();
  return data;
}

}  // namespace

std::span<const CatalogueEntry> Catalogue() { return Data().entries; }

const CatalogueEntry* FindCatalogueEntry(std::string_view identifier) {
  const auto& e = Data().entries;
  auto it = std::lower_bound(
      e.begin(), e.end(), identifier,
      [](const CatalogueEntry& c, std::string_view id) { return c.identifier < id; });
  return it != e.end() && it->identifier == identifier ? &*it : nullptr;
}

}  // namespace vigil::rules
