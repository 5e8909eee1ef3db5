#include "rules/rule.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <memory>

#include "common/strings.h"

namespace vigil::rules {

std::string_view ComplianceName(Compliance c) {
  switch (c) {
    case Compliance::kCompliant:
      return "COMPLIANT";
    case Compliance::kNonCompliant:
      return "NON_COMPLIANT";
    case Compliance::kNotApplicable:
      return "NOT_APPLICABLE";
    case Compliance::kInsufficientData:
      return "INSUFFICIENT_DATA";
  }
  return "INSUFFICIENT_DATA";
}

std::optional<Compliance> ParseCompliance(std::string_view s) {
  if (s == "COMPLIANT") return Compliance::kCompliant;
  if (s == "NON_COMPLIANT") return Compliance::kNonCompliant;
  if (s == "NOT_APPLICABLE") return Compliance::kNotApplicable;
  if (s == "INSUFFICIENT_DATA") return Compliance::kInsufficientData;
  return std::nullopt;
}

Verdict Verdict::Compliant(std::string a) {
  return {Kind::kDecided, Compliance::kCompliant, std::move(a), {}};
}
Verdict Verdict::NonCompliant(std::string a) {
  return {Kind::kDecided, Compliance::kNonCompliant, std::move(a), {}};
}
Verdict Verdict::NotApplicable(std::string a) {
  return {Kind::kDecided, Compliance::kNotApplicable, std::move(a), {}};
}
Verdict Verdict::MissingFact(std::string name, std::string why) {
  return {Kind::kMissingFact, Compliance::kInsufficientData, std::move(why), std::move(name)};
}

std::string_view ParamTypeName(ParamType t) {
  switch (t) {
    case ParamType::kString:
      return "String";
    case ParamType::kInt:
      return "int";
    case ParamType::kDouble:
      return "double";
    case ParamType::kBoolean:
      return "boolean";
    case ParamType::kCsv:
      return "CSV";
    case ParamType::kStringMap:
      return "StringMap";
  }
  return "String";
}

namespace {
std::vector<const ManagedRule*>& Registry() {
  static std::vector<const ManagedRule*> rules;
  return rules;
}
bool sorted = false;

std::optional<std::int64_t> ParseInt(std::string_view s) {
  s = Trim(s);
  if (s.empty() || s.size() > 18) return std::nullopt;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return std::nullopt;
  for (size_t j = i; j < s.size(); ++j)
    if (s[j] < '0' || s[j] > '9') return std::nullopt;
  return std::strtoll(std::string(s).c_str(), nullptr, 10);
}

std::optional<double> ParseDouble(std::string_view s) {
  s = Trim(s);
  if (s.empty() || s.size() > 40) return std::nullopt;
  const std::string t(s);
  char* end = nullptr;
  errno = 0;
  const double d = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || errno != 0) return std::nullopt;
  return d;
}
}  // namespace

ManagedRule::ManagedRule(ManagedRuleDef def) : ManagedRuleDef(std::move(def)) {
  Registry().push_back(this);
  sorted = false;
}

const ParamSpec* ManagedRule::FindParam(std::string_view name) const {
  for (const auto& p : parameters)
    if (p.name == name) return &p;
  return nullptr;
}

std::span<const ManagedRule* const> AllRules() {
  auto& r = Registry();
  if (!sorted) {
    std::sort(r.begin(), r.end(), [](const ManagedRule* a, const ManagedRule* b) {
      return a->identifier < b->identifier;
    });
    sorted = true;
  }
  return r;
}

const ManagedRule* FindRule(std::string_view identifier) {
  auto all = AllRules();
  auto it = std::lower_bound(
      all.begin(), all.end(), identifier,
      [](const ManagedRule* r, std::string_view id) { return r->identifier < id; });
  return it != all.end() && (*it)->identifier == identifier ? *it : nullptr;
}

std::vector<std::string> ValidateParams(
    std::string_view identifier, std::span<const ParamSpec> specs,
    std::span<const std::pair<std::string, std::string>> params) {
  std::vector<std::string> problems;
  for (const auto& [name, value] : params) {
    const ParamSpec* spec = nullptr;
    for (const auto& p : specs)
      if (p.name == name) spec = &p;
    if (spec == nullptr) {
      std::string known;
      for (const auto& p : specs) known += (known.empty() ? "" : ", ") + std::string(p.name);
      problems.push_back("unknown parameter '" + name + "' for " + std::string(identifier) +
                         (known.empty() ? " (it takes no parameters)" : " (known: " + known + ")"));
      continue;
    }
    const std::string expected =
        " must be of type " + std::string(ParamTypeName(spec->type)) + ", got '" + value + "'";
    switch (spec->type) {
      case ParamType::kInt:
        if (!ParseInt(value)) problems.push_back("parameter '" + name + "'" + expected);
        break;
      case ParamType::kDouble:
        if (!ParseDouble(value)) problems.push_back("parameter '" + name + "'" + expected);
        break;
      case ParamType::kBoolean: {
        const std::string v = ToLower(Trim(value));
        if (v != "true" && v != "false") problems.push_back("parameter '" + name + "'" + expected);
        break;
      }
      default:
        break;
    }
  }
  for (const auto& p : specs) {
    if (p.optional || !p.default_value.empty()) continue;
    const bool given = std::any_of(params.begin(), params.end(), [&](const auto& kv) {
      return kv.first == p.name && !kv.second.empty();
    });
    if (!given)
      problems.push_back("missing required parameter '" + std::string(p.name) + "' (type " +
                         std::string(ParamTypeName(p.type)) + ")");
  }
  return problems;
}

std::optional<std::string_view> RuleContext::Param(std::string_view name) const {
  for (const auto& [k, v] : params_)
    if (k == name) return std::string_view(v);
  if (const ParamSpec* spec = rule_.FindParam(name); spec && !spec->default_value.empty())
    return spec->default_value;
  return std::nullopt;
}

std::optional<std::int64_t> RuleContext::IntParam(std::string_view name) const {
  auto v = Param(name);
  return v ? ParseInt(*v) : std::nullopt;
}

std::optional<double> RuleContext::DoubleParam(std::string_view name) const {
  auto v = Param(name);
  return v ? ParseDouble(*v) : std::nullopt;
}

std::optional<bool> RuleContext::BoolParam(std::string_view name) const {
  auto v = Param(name);
  if (!v) return std::nullopt;
  return ToLower(Trim(*v)) == "true";
}

std::vector<std::string_view> RuleContext::CsvParam(std::string_view name) const {
  std::vector<std::string_view> out;
  auto v = Param(name);
  if (!v) return out;
  for (auto part : Split(*v, ',')) {
    part = Trim(part);
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

}  // namespace vigil::rules
