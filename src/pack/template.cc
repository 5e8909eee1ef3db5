// Resolves a conformance-pack template: walks yaml-cpp's node tree (which keeps line numbers, and
// reads JSON templates too), evaluates the intrinsic functions into plain values, and parses the
// resulting ConfigRule properties with the same code that reads `put-config-rule` input.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/strings.h"
#include "json/value.h"
#include "json/writer.h"
#include "pack/pack.h"
#include "rules/rule.h"

namespace vigil::pack {
namespace {

constexpr std::string_view kAccountToken = "${AWS::AccountId}";
constexpr std::string_view kRegionToken = "${AWS::Region}";

// A resolved template value.
struct Val {
  enum class Kind { kNull, kBool, kNumber, kString, kList, kMap, kNoValue };
  Kind kind = Kind::kNull;
  std::string s;  // kBool: "true"/"false"; kNumber: its text; kString
  std::vector<Val> list;
  // kMap: keys[i] names list[i] (a pair<string, Val> member would need Val complete here).
  std::vector<std::string> keys;

  static Val Str(std::string v) {
    Val x;
    x.kind = Kind::kString;
    x.s = std::move(v);
    return x;
  }
  static Val Bool(bool b) {
    Val x;
    x.kind = Kind::kBool;
    x.s = b ? "true" : "false";
    return x;
  }
  bool Scalar() const {
    return kind == Kind::kString || kind == Kind::kNumber || kind == Kind::kBool;
  }
};

void WriteVal(const Val& v, json::Writer& w) {
  switch (v.kind) {
    case Val::Kind::kNull:
    case Val::Kind::kNoValue:
      w.Null();
      break;
    case Val::Kind::kBool:
      w.Bool(v.s == "true");
      break;
    case Val::Kind::kNumber:
      w.Raw(v.s);
      break;
    case Val::Kind::kString:
      w.String(v.s);
      break;
    case Val::Kind::kList:
      w.BeginArray();
      for (const Val& e : v.list) WriteVal(e, w);
      w.EndArray();
      break;
    case Val::Kind::kMap:
      w.BeginObject();
      for (size_t i = 0; i < v.keys.size(); ++i) {
        w.Key(v.keys[i]);
        WriteVal(v.list[i], w);
      }
      w.EndObject();
      break;
  }
}

const Val* Find(const Val& map, std::string_view key) {
  for (size_t i = 0; i < map.keys.size(); ++i)
    if (map.keys[i] == key) return &map.list[i];
  return nullptr;
}

struct Failure {
  YAML::Mark mark;
  std::string message;
};

bool IsNumber(const std::string& s) {
  if (s.empty() || s.size() > 40) return false;
  size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  bool digits = false, dot = false, exp = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !dot && !exp) {
      dot = true;
    } else if ((c == 'e' || c == 'E') && digits && !exp) {
      exp = true;
      if (i + 1 < s.size() && (s[i + 1] == '+' || s[i + 1] == '-')) ++i;
      digits = false;
    } else {
      return false;
    }
  }
  // JSON forbids leading zeros and a leading '+'.
  if (s[0] == '+') return false;
  const size_t first = s[0] == '-' ? 1 : 0;
  if (s.size() > first + 1 && s[first] == '0' && s[first + 1] != '.') return false;
  return digits;
}

class Resolver {
 public:
  Resolver(std::string_view origin, const LoadOptions& options)
      : origin_(origin), options_(options) {}

  Result<Pack> Run(std::string_view text);

 private:
  [[noreturn]] void Fail(const YAML::Node& at, std::string message) const {
    throw Failure{at.Mark(), std::move(message)};
  }
  std::string Where(const YAML::Mark& m) const {
    if (m.line < 0) return std::string(origin_);
    return std::string(origin_) + ":" + std::to_string(m.line + 1) + ":" +
           std::to_string(m.column + 1);
  }

  void ReadParameters(const YAML::Node& params);
  Val Eval(const YAML::Node& n, int depth);
  Val Intrinsic(std::string_view fn, const YAML::Node& arg, const YAML::Node& at, int depth);
  Val EvalScalar(const YAML::Node& n);
  std::string ScalarText(const Val& v, const YAML::Node& at, std::string_view what) const;
  bool EvalConditionExpr(const YAML::Node& n, int depth);
  bool Condition(const std::string& name, const YAML::Node& at);
  Val Ref(const std::string& name, const YAML::Node& at);
  std::string Sub(const std::string& text, const Val* vars, const YAML::Node& at);
  void ReadResource(const std::string& id, const YAML::Node& res, Pack& pack,
                    std::vector<std::string>& errors);

  std::string_view origin_;
  const LoadOptions& options_;
  YAML::Node root_;
  std::map<std::string, std::string> params_;     // resolved values
  std::set<std::string> unset_params_;            // declared without Default or override
  std::map<std::string, std::string> ref_names_;  // resource logical ID -> Ref value
  std::map<std::string, int> cond_state_;         // 1 evaluating, 2 done
  std::map<std::string, bool> cond_value_;
  std::vector<std::string> cond_stack_;
  bool in_condition_ = false;
  size_t budget_ = 0;  // nodes Eval may still visit
  std::vector<std::string> warnings_;
};

void Resolver::ReadParameters(const YAML::Node& params) {
  if (!params) return;
  if (!params.IsMap()) Fail(params, "'Parameters' must be a mapping of parameter names");
  for (const auto& kv : params) {
    const std::string name = kv.first.Scalar();
    const YAML::Node& p = kv.second;
    if (!p.IsMap()) Fail(p, "parameter '" + name + "' must be a mapping with Type and Default");
    const std::string type = p["Type"] ? p["Type"].Scalar() : "";
    if (type.empty()) Fail(p, "parameter '" + name + "' has no Type");
    if (type.rfind("AWS::SSM::Parameter", 0) == 0)
      Fail(p["Type"], "parameter '" + name + "' has type " + type +
                          ": SSM parameter types are not supported (vigil cannot read SSM "
                          "Parameter Store); use Type: String");
    std::optional<std::string> value;
    if (p["Default"]) {
      const YAML::Node& d = p["Default"];
      if (d.IsScalar()) {
        value = d.Scalar();
      } else if (d.IsSequence()) {  // CommaDelimitedList defaults are sometimes lists
        std::string joined;
        for (const auto& e : d) joined += (joined.empty() ? "" : ",") + e.Scalar();
        value = joined;
      } else if (d.IsNull()) {
        value = "";
      } else {
        Fail(d, "parameter '" + name + "': Default must be a scalar");
      }
    }
    if (auto it = options_.overrides.find(name); it != options_.overrides.end()) value = it->second;
    if (value && p["AllowedValues"] && p["AllowedValues"].IsSequence()) {
      bool allowed = false;
      std::string list;
      for (const auto& a : p["AllowedValues"]) {
        allowed |= a.Scalar() == *value;
        list += (list.empty() ? "" : ", ") + a.Scalar();
      }
      if (!allowed)
        Fail(p["AllowedValues"], "parameter '" + name + "' is '" + *value +
                                     "', which is not one of its AllowedValues: " + list);
    }
    if (value) {
      params_[name] = *value;
    } else {
      unset_params_.insert(name);
    }
  }
}

Val Resolver::EvalScalar(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  if (n.Tag() == "!") return Val::Str(s);  // quoted: always a string
  Val v;
  if (s == "true" || s == "True" || s == "TRUE") return Val::Bool(true);
  if (s == "false" || s == "False" || s == "FALSE") return Val::Bool(false);
  if (s.empty() || s == "null" || s == "~" || s == "Null" || s == "NULL") return v;
  if (IsNumber(s)) {
    v.kind = Val::Kind::kNumber;
    v.s = s;
    return v;
  }
  return Val::Str(s);
}

std::string Resolver::ScalarText(const Val& v, const YAML::Node& at, std::string_view what) const {
  if (v.kind == Val::Kind::kNull) return "";
  if (!v.Scalar()) Fail(at, std::string(what) + " must be a string");
  return v.s;
}

Val Resolver::Ref(const std::string& name, const YAML::Node& at) {
  if (name == "AWS::NoValue") {
    Val v;
    v.kind = Val::Kind::kNoValue;
    return v;
  }
  if (name == "AWS::AccountId" || name == "AWS::Region") {
    if (in_condition_)
      Fail(at, "a Condition cannot depend on " + name +
                   ": vigil evaluates a pack once for every account and region it reads");
    return Val::Str(std::string(name == "AWS::Region" ? kRegionToken : kAccountToken));
  }
  if (name == "AWS::Partition") return Val::Str("aws");
  if (name == "AWS::URLSuffix") return Val::Str("amazonaws.com");
  if (name == "AWS::StackName") return Val::Str(options_.name);
  if (name == "AWS::StackId")
    return Val::Str("arn:aws:cloudformation:" + std::string(kRegionToken) + ":" +
                    std::string(kAccountToken) + ":stack/" + options_.name);
  if (name == "AWS::NotificationARNs") {
    Val v;
    v.kind = Val::Kind::kList;
    return v;
  }
  if (auto it = params_.find(name); it != params_.end()) return Val::Str(it->second);
  if (unset_params_.count(name)) {
    if (options_.lenient) {
      warnings_.push_back(Where(at.Mark()) + ": parameter '" + name + "' has no value");
      return Val::Str("<" + name + ">");
    }
    Fail(at, "parameter '" + name + "' has no Default and no value: pass --pack-param " + name +
                 "=VALUE");
  }
  if (auto it = ref_names_.find(name); it != ref_names_.end()) return Val::Str(it->second);
  Fail(at, "Ref to '" + name + "', which is neither a parameter nor a resource of the template");
}

bool Resolver::Condition(const std::string& name, const YAML::Node& at) {
  if (auto it = cond_value_.find(name); it != cond_value_.end()) return it->second;
  const YAML::Node conditions = root_["Conditions"];
  if (!conditions || !conditions.IsMap() || !conditions[name])
    Fail(at, "condition '" + name + "' is not defined in Conditions");
  if (cond_state_[name] == 1) {
    std::string cycle;
    auto start = std::find(cond_stack_.begin(), cond_stack_.end(), name);
    for (auto it = start; it != cond_stack_.end(); ++it) cycle += *it + " -> ";
    Fail(conditions[name], "cycle in Conditions: " + cycle + name);
  }
  cond_state_[name] = 1;
  cond_stack_.push_back(name);
  const bool saved = in_condition_;
  in_condition_ = true;
  const bool value = EvalConditionExpr(conditions[name], 0);
  in_condition_ = saved;
  cond_stack_.pop_back();
  cond_state_[name] = 2;
  cond_value_[name] = value;
  return value;
}

bool Resolver::EvalConditionExpr(const YAML::Node& n, int depth) {
  const bool saved = in_condition_;
  in_condition_ = true;
  const Val v = Eval(n, depth + 1);
  in_condition_ = saved;
  if (v.kind != Val::Kind::kBool)
    Fail(n, "a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or a Condition reference");
  return v.s == "true";
}

std::string Resolver::Sub(const std::string& text, const Val* vars, const YAML::Node& at) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find("${", i);
    if (open == std::string::npos) {
      out.append(text, i);
      break;
    }
    out.append(text, i, open - i);
    const size_t close = text.find('}', open);
    if (close == std::string::npos) Fail(at, "Fn::Sub: '${' without a closing '}'");
    const std::string name = text.substr(open + 2, close - open - 2);
    i = close + 1;
    if (!name.empty() && name[0] == '!') {  // ${!Literal} stays as ${Literal}
      out += "${" + name.substr(1) + "}";
      continue;
    }
    if (vars != nullptr)
      if (const Val* v = Find(*vars, name)) {
        out += ScalarText(*v, at, "an Fn::Sub variable");
        continue;
      }
    if (name.find('.') != std::string::npos)
      Fail(at, "Fn::Sub: '${" + name +
                   "}' reads a resource attribute (Fn::GetAtt), which has no value before the "
                   "pack is deployed");
    const Val v = Ref(name, at);
    if (v.kind == Val::Kind::kNoValue) Fail(at, "Fn::Sub: AWS::NoValue cannot be substituted");
    out += ScalarText(v, at, "'${" + name + "}'");
  }
  return out;
}

Val Resolver::Intrinsic(std::string_view fn, const YAML::Node& arg, const YAML::Node& at,
                        int depth) {
  auto list_arg = [&](size_t min, size_t max) {
    if (!arg.IsSequence() || arg.size() < min || arg.size() > max)
      Fail(at, std::string(fn) + " takes a list of " +
                   (min == max ? std::to_string(min)
                               : std::to_string(min) + " to " + std::to_string(max)) +
                   " arguments");
  };
  if (fn == "Ref") {
    if (!arg.IsScalar()) Fail(at, "Ref takes a parameter or resource name");
    return Ref(arg.Scalar(), at);
  }
  if (fn == "Condition") {
    if (!arg.IsScalar()) Fail(at, "Condition takes a condition name");
    return Val::Bool(Condition(arg.Scalar(), at));
  }
  if (fn == "Fn::If") {
    list_arg(3, 3);
    if (!arg[0].IsScalar()) Fail(arg[0], "Fn::If: the first argument is a condition name");
    return Condition(arg[0].Scalar(), arg[0]) ? Eval(arg[1], depth + 1) : Eval(arg[2], depth + 1);
  }
  if (fn == "Fn::Equals") {
    list_arg(2, 2);
    const Val a = Eval(arg[0], depth + 1), b = Eval(arg[1], depth + 1);
    auto text = [&](const Val& v, const YAML::Node& n) {
      if (v.kind == Val::Kind::kList) {
        std::string s;
        for (const Val& e : v.list) s += ScalarText(e, n, "a list element") + ",";
        return s;
      }
      return ScalarText(v, n, "an Fn::Equals argument");
    };
    return Val::Bool(text(a, arg[0]) == text(b, arg[1]));
  }
  if (fn == "Fn::Not") {
    list_arg(1, 1);
    return Val::Bool(!EvalConditionExpr(arg[0], depth));
  }
  if (fn == "Fn::And" || fn == "Fn::Or") {
    list_arg(2, 10);
    const bool is_and = fn == "Fn::And";
    bool result = is_and;
    for (const auto& c : arg) {  // every operand is evaluated, so errors are never hidden
      const bool v = EvalConditionExpr(c, depth);
      result = is_and ? (result && v) : (result || v);
    }
    return Val::Bool(result);
  }
  if (fn == "Fn::Sub") {
    if (arg.IsScalar()) return Val::Str(Sub(arg.Scalar(), nullptr, at));
    list_arg(2, 2);
    if (!arg[0].IsScalar()) Fail(arg[0], "Fn::Sub: the first argument is the string");
    const Val vars = Eval(arg[1], depth + 1);
    if (vars.kind != Val::Kind::kMap) Fail(arg[1], "Fn::Sub: the second argument is a mapping");
    return Val::Str(Sub(arg[0].Scalar(), &vars, at));
  }
  if (fn == "Fn::Join") {
    list_arg(2, 2);
    const std::string delim = ScalarText(Eval(arg[0], depth + 1), arg[0], "the delimiter");
    const Val items = Eval(arg[1], depth + 1);
    if (items.kind != Val::Kind::kList) Fail(arg[1], "Fn::Join: the second argument is a list");
    std::string out;
    for (size_t k = 0; k < items.list.size(); ++k)
      out += (k ? delim : "") + ScalarText(items.list[k], arg[1], "an Fn::Join element");
    return Val::Str(out);
  }
  if (fn == "Fn::Split") {
    list_arg(2, 2);
    const std::string delim = ScalarText(Eval(arg[0], depth + 1), arg[0], "the delimiter");
    const std::string s = ScalarText(Eval(arg[1], depth + 1), arg[1], "the string");
    if (delim.empty()) Fail(arg[0], "Fn::Split: the delimiter is empty");
    Val out;
    out.kind = Val::Kind::kList;
    size_t start = 0;
    while (true) {
      const size_t pos = s.find(delim, start);
      out.list.push_back(Val::Str(s.substr(start, pos - start)));
      if (pos == std::string::npos) break;
      start = pos + delim.size();
    }
    return out;
  }
  if (fn == "Fn::Select") {
    list_arg(2, 2);
    const std::string idx = ScalarText(Eval(arg[0], depth + 1), arg[0], "the index");
    Val items = Eval(arg[1], depth + 1);
    if (items.kind == Val::Kind::kString) {  // a CommaDelimitedList parameter
      Val split;
      split.kind = Val::Kind::kList;
      for (std::string_view part : Split(items.s, ','))
        split.list.push_back(Val::Str(std::string(part)));
      items = std::move(split);
    }
    if (items.kind != Val::Kind::kList) Fail(arg[1], "Fn::Select: the second argument is a list");
    char* end = nullptr;
    const long k = std::strtol(idx.c_str(), &end, 10);
    if (idx.empty() || *end != '\0' || k < 0 || static_cast<size_t>(k) >= items.list.size())
      Fail(arg[0], "Fn::Select: index '" + idx + "' is out of range");
    return items.list[static_cast<size_t>(k)];
  }
  if (fn == "Fn::FindInMap") {
    list_arg(3, 3);
    std::string keys[3];
    for (int k = 0; k < 3; ++k) keys[k] = ScalarText(Eval(arg[k], depth + 1), arg[k], "a key");
    const YAML::Node mappings = root_["Mappings"];
    if (!mappings || !mappings[keys[0]])
      Fail(arg[0], "Fn::FindInMap: no mapping '" + keys[0] + "' in Mappings");
    const YAML::Node top = mappings[keys[0]][keys[1]];
    if (!top) Fail(arg[1], "Fn::FindInMap: mapping '" + keys[0] + "' has no key '" + keys[1] + "'");
    if (!top[keys[2]])
      Fail(arg[2], "Fn::FindInMap: '" + keys[0] + "." + keys[1] + "' has no key '" + keys[2] + "'");
    return Eval(top[keys[2]], depth + 1);
  }
  Fail(at, "unsupported intrinsic function " + std::string(fn) +
               (fn == "Fn::GetAtt" || fn == "Fn::ImportValue" || fn == "Fn::GetAZs"
                    ? " (it needs deployed resources, which a conformance pack evaluated by vigil "
                      "does not have)"
                    : ""));
}

// Short-form tags map to the long-form names.
std::string LongForm(const std::string& tag) {
  const std::string name = tag.substr(1);
  if (name == "Ref" || name == "Condition") return name;
  return "Fn::" + name;
}

Val Resolver::Eval(const YAML::Node& n, int depth) {
  if (depth > 100) Fail(n, "nesting too deep");
  // Aliases share nodes, so a small template can expand exponentially.
  if (budget_ == 0) Fail(n, "template too large once its YAML aliases are expanded");
  --budget_;
  const std::string& tag = n.Tag();
  if (!tag.empty() && tag != "!" && tag != "?" && tag.rfind("tag:yaml.org", 0) != 0) {
    if (tag[0] != '!' || tag.size() < 2) Fail(n, "unsupported YAML tag '" + tag + "'");
    return Intrinsic(LongForm(tag), n, n, depth);
  }
  switch (n.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return {};
    case YAML::NodeType::Scalar:
      return EvalScalar(n);
    case YAML::NodeType::Sequence: {
      Val v;
      v.kind = Val::Kind::kList;
      for (const auto& e : n) {
        Val x = Eval(e, depth + 1);
        if (x.kind != Val::Kind::kNoValue) v.list.push_back(std::move(x));
      }
      return v;
    }
    case YAML::NodeType::Map: {
      if (n.size() == 1) {
        const std::string key = n.begin()->first.Scalar();
        if (key == "Ref" || key.rfind("Fn::", 0) == 0 || (key == "Condition" && in_condition_))
          return Intrinsic(key, n.begin()->second, n.begin()->first, depth);
      }
      Val v;
      v.kind = Val::Kind::kMap;
      for (const auto& kv : n) {
        Val x = Eval(kv.second, depth + 1);
        if (x.kind == Val::Kind::kNoValue) continue;
        v.keys.push_back(kv.first.Scalar());
        v.list.push_back(std::move(x));
      }
      return v;
    }
  }
  return {};
}

void Resolver::ReadResource(const std::string& id, const YAML::Node& res, Pack& pack,
                            std::vector<std::string>& errors) {
  const int line = res.Mark().line + 1;
  if (!res.IsMap()) Fail(res, "resource '" + id + "' must be a mapping with Type and Properties");
  const std::string type = res["Type"] ? res["Type"].Scalar() : "";
  if (type != "AWS::Config::ConfigRule" && type != "AWS::Config::RemediationConfiguration")
    Fail(res["Type"] ? res["Type"] : res,
         "resource '" + id + "' has type '" + type +
             "': a conformance pack holds only AWS::Config::ConfigRule and "
             "AWS::Config::RemediationConfiguration resources");
  if (const YAML::Node cond = res["Condition"]) {
    if (!cond.IsScalar()) Fail(cond, "resource Condition must be a condition name");
    if (!Condition(cond.Scalar(), cond)) return;
  }
  const YAML::Node props = res["Properties"];
  if (!props || !props.IsMap()) Fail(res, "resource '" + id + "' has no Properties");
  const Val v = Eval(props, 0);
  json::Writer w;
  WriteVal(v, w);
  std::string text = w.Take();
  auto doc = json::Document::Parse(text);
  if (!doc.ok()) Fail(props, "resource '" + id + "': " + doc.status().message());
  if (type == "AWS::Config::RemediationConfiguration") {
    const std::string rule(doc->Root().Get("ConfigRuleName").String().value_or(""));
    if (rule.empty()) Fail(props, "remediation '" + id + "' has no ConfigRuleName");
    if (doc->Root().Get("TargetId").String().value_or("").empty())
      Fail(props, "remediation '" + id + "' has no TargetId");
    pack.remediations.push_back({id, rule, std::move(text), line});
    return;
  }
  json::Writer named;
  const json::Value root = doc->Root();
  if (root.Get("ConfigRuleName").Missing()) {  // CloudFormation names it after the logical ID
    named.BeginObject().Field("ConfigRuleName", id);
    for (const auto m : root.Members()) named.Key(m.key).Raw(m.value.ToJson());
    named.EndObject();
    text = named.Take();
    doc = json::Document::Parse(text);
  }
  auto rule = model::ParseConfigRule(doc->Root());
  if (!rule.ok()) Fail(props, "resource '" + id + "': " + rule.status().message());
  if (rule->owner == "AWS" && rule->source_identifier != "AWS_CONFIG_PROCESS_CHECK") {
    std::span<const rules::ParamSpec> specs;
    if (const auto* managed = rules::FindRule(rule->source_identifier)) {
      specs = managed->parameters;
    } else if (const auto* entry = rules::FindCatalogueEntry(rule->source_identifier)) {
      specs = entry->parameters;
    } else {
      errors.push_back(Where(props.Mark()) + ": rule '" + rule->name +
                       "': unknown managed-rule identifier '" + rule->source_identifier + "'");
      return;
    }
    for (const auto& p :
         rules::ValidateParams(rule->source_identifier, specs, rule->input_parameters)) {
      const YAML::Node ip = props["InputParameters"];
      errors.push_back(Where(ip ? ip.Mark() : props.Mark()) + ": rule '" + rule->name + "' (" +
                       rule->source_identifier + "): " + p);
    }
  }
  pack.rules.push_back({std::move(rule).value(), id, line});
}

// The title under "Conformance Pack:" in AWS's header comment.
std::string HeaderTitle(std::string_view text) {
  const size_t at = text.find("Conformance Pack:");
  if (at == std::string_view::npos || at > 2000) return "";
  const size_t nl = text.find('\n', at);
  if (nl == std::string_view::npos) return "";
  const size_t end = text.find('\n', nl + 1);
  std::string_view line = text.substr(nl + 1, end == std::string_view::npos ? end : end - nl - 1);
  line = Trim(line);
  if (line.empty() || line[0] != '#') return "";
  return std::string(Trim(line.substr(1)));
}

Result<Pack> Resolver::Run(std::string_view text) {
  Pack pack;
  pack.origin = std::string(origin_);
  pack.name = options_.name;
  std::vector<std::string> errors;
  budget_ = 1'000'000 + 16 * text.size();
  try {
    try {
      root_ = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
      throw Failure{e.mark, "YAML error: " + e.msg};
    }
    if (!root_.IsMap())
      throw Failure{root_.Mark(), "a conformance pack template is a mapping with Resources"};
    for (const auto& kv : root_) {
      static const std::set<std::string> known = {"AWSTemplateFormatVersion",
                                                  "Description",
                                                  "Metadata",
                                                  "Parameters",
                                                  "Conditions",
                                                  "Mappings",
                                                  "Resources",
                                                  "Outputs"};
      const std::string key = kv.first.Scalar();
      if (!known.count(key))
        Fail(kv.first,
             "unsupported template section '" + key + "'" +
                 (key == "Transform" ? " (macros and transforms need CloudFormation)" : ""));
    }
    if (root_["Description"] && root_["Description"].IsScalar())
      pack.description = root_["Description"].Scalar();
    ReadParameters(root_["Parameters"]);
    for (const auto& kv : root_["Parameters"]) pack.parameters.push_back(kv.first.Scalar());
    const YAML::Node resources = root_["Resources"];
    if (!resources || !resources.IsMap() || resources.size() == 0)
      Fail(resources ? resources : root_, "the template has no Resources");
    // Ref to a ConfigRule resource gives its name, as CloudFormation does.
    for (const auto& kv : resources) {
      const std::string id = kv.first.Scalar();
      ref_names_[id] = id;
      if (!kv.second.IsMap()) continue;
      const YAML::Node props = kv.second["Properties"];
      if (!props || !props.IsMap()) continue;
      const YAML::Node name = props["ConfigRuleName"];
      if (name && name.IsScalar() && name.Tag() != "!Ref" && name.Tag() != "!Sub")
        ref_names_[id] = name.Scalar();
    }
    if (const YAML::Node conditions = root_["Conditions"]) {
      if (!conditions.IsMap()) Fail(conditions, "'Conditions' must be a mapping");
      for (const auto& kv : conditions) Condition(kv.first.Scalar(), kv.first);
    }
    for (const auto& kv : resources) {
      try {
        ReadResource(kv.first.Scalar(), kv.second, pack, errors);
      } catch (const Failure& f) {
        errors.push_back(Where(f.mark) + ": " + f.message);
      }
    }
  } catch (const Failure& f) {
    errors.push_back(Where(f.mark) + ": " + f.message);
  } catch (const YAML::Exception& e) {
    errors.push_back(Where(e.mark) + ": " + e.msg);
  }
  std::set<std::string> names;
  for (const auto& r : pack.rules)
    if (!names.insert(r.rule.name).second)
      errors.push_back(std::string(origin_) + ":" + std::to_string(r.line) + ": rule name '" +
                       r.rule.name + "' is used twice");
  for (const auto& rem : pack.remediations)
    if (!names.count(rem.config_rule_name))
      errors.push_back(std::string(origin_) + ":" + std::to_string(rem.line) + ": remediation '" +
                       rem.logical_id + "' names rule '" + rem.config_rule_name +
                       "', which the pack does not define");
  if (!errors.empty()) {
    std::string message;
    for (const auto& e : errors) message += (message.empty() ? "" : "\n") + e;
    return Status::Error(message);
  }
  pack.warnings = std::move(warnings_);
  pack.framework = options_.framework;
  if (pack.framework.empty()) pack.framework = HeaderTitle(text);
  if (pack.framework.empty()) pack.framework = pack.description;
  if (pack.framework.empty()) pack.framework = pack.name;
  return pack;
}

}  // namespace

Result<Pack> LoadPack(std::string_view origin, std::string_view text, const LoadOptions& options) {
  LoadOptions o = options;
  if (o.name.empty()) o.name = std::filesystem::path(std::string(origin)).stem().string();
  Resolver r(origin, o);
  return r.Run(text);
}

Status ParseOverrides(std::span<const std::string> args,
                      std::map<std::string, std::string>& overrides) {
  for (const std::string& kv : args) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      return Status::Error("--pack-param '" + kv + "': expected NAME=VALUE");
    overrides[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return Status::Ok();
}

Coverage PackCoverage(const Pack& pack) {
  Coverage c;
  std::set<std::string> ids;
  for (const auto& r : pack.rules) {
    ++c.rules;
    if (r.rule.owner != "AWS") {
      ++c.custom;
      continue;
    }
    ids.insert(r.rule.source_identifier);
    if (r.rule.source_identifier == "AWS_CONFIG_PROCESS_CHECK" ||
        rules::FindRule(r.rule.source_identifier) != nullptr)
      ++c.implemented_rules;
  }
  for (const auto& id : ids) {
    c.referenced.push_back(id);
    if (id != "AWS_CONFIG_PROCESS_CHECK" && rules::FindRule(id) == nullptr) c.missing.push_back(id);
  }
  return c;
}

}  // namespace vigil::pack
