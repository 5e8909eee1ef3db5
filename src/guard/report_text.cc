// The text and per-file outputs of `validate` without --structured (cfn.rs, generic_summary.rs).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <optional>
#include <set>
#include <utility>

#include "guard/report.h"

namespace vigil::guard::report {

Out OutFromJson(const json::Value& v) {
  switch (v.type()) {
    case json::Type::kMissing:
    case json::Type::kNull:
      return Out::Null();
    case json::Type::kBool:
      return Out::Bool(v.Bool().value_or(false));
    case json::Type::kString:
      return Out::Str(std::string(v.String().value_or("")));
    case json::Type::kNumber:
      if (auto i = v.Int()) return Out::Int(*i);
      return Out::Float(v.Number().value_or(0));
    case json::Type::kArray: {
      Out a = Out::Array();
      for (const json::Value e : v.Elements()) a.Push(OutFromJson(e));
      return a;
    }
    case json::Type::kObject: {
      Out o = Out::Object();
      for (const json::Member m : v.Members()) o.Add(std::string(m.key), OutFromJson(m.value));
      return o;
    }
  }
  return Out::Null();
}

namespace {

// cfn-guard's NameInfo (common.rs): one failed check as the text reports describe it.
struct NameInfo {
  std::string rule;
  std::string path;
  std::optional<std::string> provided;  // compact JSON
  std::optional<std::string> expected;
  bool has_comparison = false;
  CmpOperator op = CmpOperator::kEq;
  bool negated = false;
  std::string message;
  std::optional<std::string> error;
};

std::string Json(const Node& n) { return ToJsonCompact(ValueOut(n)); }

const Node* Traversed(const QueryResult& q) {
  return q.kind == QueryResult::Kind::kUnresolved ? q.unresolved->traversed_to : q.value;
}

// find_failing_clauses.
void FailingClauses(const std::vector<Record>& recs, std::int32_t i,
                    std::vector<const Record*>& out) {
  const Record& r = recs[i];
  if (r.kind == RecordKind::kFilter) return;
  if (r.kind == RecordKind::kClauseValueCheck) {
    if (r.check != CheckKind::kSuccess) out.push_back(&r);
    return;
  }
  if (r.kind == RecordKind::kRuleCheck && r.message && r.status == EvalStatus::kFail) {
    out.push_back(&r);
    return;
  }
  for (std::int32_t c = r.first_child; c >= 0; c = recs[c].next_sibling)
    FailingClauses(recs, c, out);
}

// extract_name_info_from_record.
NameInfo Extract(std::string_view rule, const Record& r) {
  NameInfo n;
  n.rule = std::string(rule);
  const std::string custom = r.custom_message ? *r.custom_message : std::string();
  if (r.kind == RecordKind::kRuleCheck) {
    n.rule = std::string(r.name);
    n.message = r.message.value_or("");
    return n;
  }
  switch (r.check) {
    case CheckKind::kDependentRule:
      n.error = r.message;
      n.message = custom;
      break;
    case CheckKind::kMissingBlockValue:
      n.error = r.message;
      n.message = custom;
      if (r.from.kind == QueryResult::Kind::kUnresolved)
        n.path = PathOf(*r.from.unresolved->traversed_to);
      break;
    case CheckKind::kUnary:
    case CheckKind::kComparison: {
      const Node* from = Traversed(r.from);
      n.has_comparison = true;
      n.op = r.op;
      n.negated = r.op_negated;
      n.message = custom;
      n.path = PathOf(*from);
      n.provided = Json(*from);
      if (r.from.kind == QueryResult::Kind::kUnresolved) {
        n.error = r.message ? *r.message
                            : (r.from.unresolved->has_reason ? r.from.unresolved->reason : "");
      } else {
        n.error = r.message;
        if (r.check == CheckKind::kComparison && r.to) n.expected = Json(*Traversed(*r.to));
      }
      break;
    }
    case CheckKind::kNoValueForEmptyCheck:
      n.has_comparison = true;
      n.op = CmpOperator::kEmpty;
      n.message = custom;
      break;
    case CheckKind::kInComparison: {
      n.has_comparison = true;
      n.op = CmpOperator::kIn;
      n.negated = r.op_negated;
      if (r.from.kind != QueryResult::Kind::kUnresolved) n.provided = Json(*r.from.value);
      std::string to = "[";
      for (size_t k = 0; k < r.to_list.size(); ++k) {
        if (k) to += ',';
        to += Json(*Traversed(r.to_list[k]));
      }
      n.expected = to + "]";
      n.message = r.message.value_or("");
      break;
    }
    case CheckKind::kSuccess:
      break;
  }
  return n;
}

std::string Replace(std::string s, char from, std::string_view to) {
  std::string out;
  for (const char c : s) {
    if (c == from) {
      out += to;
    } else {
      out += c;
    }
  }
  return out;
}

const char* UnaryOpText(CmpOperator op, bool negated) {
  switch (op) {
    case CmpOperator::kExists:
      return !negated ? "did not exist" : "existed";
    case CmpOperator::kEmpty:
      return !negated ? "was not empty" : "was empty";
    case CmpOperator::kIsList:
      return !negated ? "was not a list " : "was list";
    case CmpOperator::kIsMap:
      return !negated ? "was not a struct" : "was struct";
    case CmpOperator::kIsString:
      return !negated ? "was not a string " : "was string";
    case CmpOperator::kIsBool:
      return !negated ? "was not a bool" : "was bool";
    case CmpOperator::kIsInt:
      return !negated ? "was not an int" : "was int";
    case CmpOperator::kIsNull:
      return !negated ? "was not null" : "was null";
    default:
      return !negated ? "was not a float" : "was float";
  }
}

// print_name_info with generic_summary's message functions.
void PrintNameInfo(std::string& out, const std::vector<NameInfo>& infos, std::string_view data) {
  for (const NameInfo& n : infos) {
    if (n.error) {
      out += fmt::format(
          "Property traversed until [{}] in data [{}] is not compliant with [{}] due to retrieval "
          "error. Error Message [{}]\n",
          n.path, data, n.rule, *n.error);
      continue;
    }
    if (!n.has_comparison) {
      out += fmt::format("Parameterized Rule {} failed for {}. Reason {}\n", n.rule, data,
                         Replace(n.message, '\n', "; "));
      continue;
    }
    if (IsUnary(n.op)) {
      out += fmt::format(
          "Property [{}] in data [{}] is not compliant with [{}] because needed value at [{}] {}. "
          "Error Message [{}]\n",
          n.path, data, n.rule, n.provided.value_or("null"), UnaryOpText(n.op, n.negated),
          Replace(n.message, '\n', ";"));
      continue;
    }
    out += fmt::format(
        "Property [{}] in data [{}] is not compliant with [{}] because provided value [{}] {} {} "
        "[{}]. Error Message [{}]\n",
        n.path, data, n.rule, n.provided.value_or("null"), n.negated ? "did" : "did not",
        n.op == CmpOperator::kIn ? "match expected value in" : "match expected value",
        n.expected.value_or("null"), Replace(n.message, '\n', ";"));
  }
}

// generic_summary's SingleLineSummary over report_from_events. cfn-guard keeps the failed rules
// in a HashMap and the passed/skipped ones in HashSets (an order that changes between runs);
// vigil prints them in rule order.
std::string GenericSingleLine(const Evaluation& ev, std::string_view rules_file_name,
                              std::string_view data_file_name, unsigned show) {
  const auto& recs = ev.records();
  const Record* root = ev.root_record();
  std::vector<std::pair<std::string, std::vector<NameInfo>>> failed;
  std::vector<std::string> passed, skipped;
  auto add_unique = [](std::vector<std::string>& v, std::string s) {
    if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
  };
  for (const RuleStatus& r : ev.rules()) {
    const std::string name(r.name);
    if (r.status == EvalStatus::kPass) {
      add_unique(passed, name);
    } else if (r.status == EvalStatus::kSkip) {
      add_unique(skipped, name);
    }
  }
  for (std::int32_t i = root ? root->first_child : -1; i >= 0; i = recs[i].next_sibling) {
    const Record& r = recs[i];
    if (r.kind != RecordKind::kRuleCheck) continue;
    const std::string name(r.name);
    if (r.status == EvalStatus::kFail) {
      std::vector<const Record*> clauses;
      for (std::int32_t c = r.first_child; c >= 0; c = recs[c].next_sibling)
        FailingClauses(recs, c, clauses);
      std::vector<NameInfo> infos;
      for (const Record* c : clauses) infos.push_back(Extract(r.name, *c));
      auto it = std::find_if(failed.begin(), failed.end(),
                             [&](const auto& f) { return f.first == name; });
      if (it == failed.end()) {
        failed.emplace_back(name, std::move(infos));
      } else {
        it->second = std::move(infos);
      }
    }
  }
  bool reportable = false;
  if (show & kShowFail) {
    reportable = !failed.empty();
  } else if (show & kShowPass) {
    reportable = !passed.empty();
  } else {
    reportable = (show & kShowSkip) && !skipped.empty();
  }
  if (!reportable) return "";
  std::string out =
      fmt::format("Evaluation of rules {} against data {}\n", rules_file_name, data_file_name);
  if (show & kShowFail) {
    if (!failed.empty()) out += "--\n";
    for (const auto& f : failed) PrintNameInfo(out, f.second, data_file_name);
  }
  auto list = [&](const std::vector<std::string>& rules, const char* what) {
    if (!rules.empty()) out += "--\n";
    for (const auto& r : rules)
      out += fmt::format("Rule [{}] is {} for template [{}]\n", r, what, data_file_name);
  };
  if (show & kShowPass) list(passed, "compliant");
  if (show & kShowSkip) list(skipped, "not applicable");
  out += "--\n";
  return out;
}

}  // namespace

std::string FileDetails(const Evaluation& ev, const Node& data_root, std::string_view data_text,
                        std::string_view rules_file_name, std::string_view data_file_name,
                        Format format, unsigned show) {
  (void)data_root;
  (void)data_text;
  if (format == Format::kJson) return ToJsonPretty(BuildFileReport(ev, data_file_name).ToOut());
  if (format == Format::kYaml) return ToYaml(BuildFileReport(ev, data_file_name).ToOut());
  return GenericSingleLine(ev, rules_file_name, data_file_name, show);
}

namespace {

// quick-xml's escape(): the five XML special characters.
std::string XmlEscape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// ClauseReport::get_message over a not_compliant entry (an Out built by BuildFileReport), and the
// name of the last failed rule, as get_test_case collects them.
void CollectMessages(const Out& clause, std::vector<std::string>& texts) {
  if (clause.keys.empty()) return;
  const std::string& kind = clause.keys[0];
  const Out& body = clause.items[0];
  auto field = [](const Out& o, std::string_view k) -> const Out* {
    for (size_t i = 0; i < o.keys.size(); ++i)
      if (o.keys[i] == k) return &o.items[i];
    return nullptr;
  };
  auto messages = [&](const Out& m) {
    for (const char* k : {"custom_message", "error_message"}) {
      const Out* v = field(m, k);
      if (v && v->type == Out::Type::kString) texts.push_back(v->s);
    }
  };
  if (kind == "Rule" || kind == "Disjunctions") {
    if (const Out* checks = field(body, "checks"))
      for (const Out& c : checks->items) CollectMessages(c, texts);
  } else if (kind == "Block") {
    if (const Out* m = field(body, "messages")) messages(*m);
  } else if (kind == "Clause" && !body.items.empty()) {
    if (const Out* m = field(body.items[0], "messages")) messages(*m);
  }
}

}  // namespace

std::string JunitReport(const std::vector<std::string>& rules_names,
                        const std::vector<std::string>& data_names,
                        const std::vector<std::vector<const Evaluation*>>& evals) {
  std::string suites;
  size_t tests = 0, failures = 0;
  for (size_t j = 0; j < data_names.size(); ++j) {
    std::string cases;
    size_t suite_failures = 0;
    for (size_t i = 0; i < rules_names.size(); ++i) {
      ++tests;
      const Evaluation& ev = *evals[i][j];
      const std::string name = XmlEscape(rules_names[i]);
      if (ev.status() != EvalStatus::kFail) {
        cases += fmt::format("        <testcase name=\"{}\" time=\"0\" status=\"{}\"/>\n", name,
                             ev.status() == EvalStatus::kPass ? "pass" : "skip");
        continue;
      }
      ++suite_failures;
      const FileReport rep = BuildFileReport(ev, data_names[j]);
      std::vector<std::string> texts;
      std::optional<std::string> failed_rule;
      for (const Out& c : rep.not_compliant) {
        const size_t before = texts.size();
        CollectMessages(c, texts);
        if (texts.size() > before && !c.keys.empty() && c.keys[0] == "Rule") {
          const Out& body = c.items[0];
          std::string rn = body.items.empty() ? "" : body.items[0].s;
          const size_t at = rn.find(".guard/");
          if (at != std::string::npos) rn = rn.substr(at + 7);
          failed_rule = rn;
        }
      }
      cases += fmt::format("        <testcase name=\"{}\" time=\"0\">\n", name);
      const std::string attr =
          failed_rule ? fmt::format(" message=\"{}\"", XmlEscape(*failed_rule)) : "";
      if (texts.empty()) {
        cases += fmt::format("            <failure{}/>\n", attr);
      } else {
        std::string text;
        for (const auto& t : texts) text += XmlEscape(t);
        cases += fmt::format("            <failure{}>{}</failure>\n", attr, text);
      }
      cases += "        </testcase>\n";
    }
    failures += suite_failures;
    suites += fmt::format(
        "    <testsuite name=\"{}\" errors=\"0\" failures=\"{}\" time=\"0\">\n{}    </testsuite>\n",
        XmlEscape(data_names[j]), suite_failures, cases);
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"cfn-guard validate report\" "
      "tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"0\">\n{}</testsuites>\n",
      tests, failures, suites);
}

std::string SarifReport(const std::vector<FileReport>& reports) {
  auto field = [](const Out& o, std::string_view k) -> const Out* {
    for (size_t i = 0; i < o.keys.size(); ++i)
      if (o.keys[i] == k) return &o.items[i];
    return nullptr;
  };
  // ClauseReport::get_message, keeping each Messages object (for its location).
  std::function<void(const Out&, std::vector<const Out*>&)> messages =
      [&](const Out& clause, std::vector<const Out*>& out) {
        if (clause.keys.empty()) return;
        const std::string& kind = clause.keys[0];
        const Out& body = clause.items[0];
        if (kind == "Rule" || kind == "Disjunctions") {
          if (const Out* checks = field(body, "checks"))
            for (const Out& c : checks->items) messages(c, out);
        } else if (kind == "Block") {
          if (const Out* m = field(body, "messages")) out.push_back(m);
        } else if (kind == "Clause" && !body.items.empty()) {
          if (const Out* m = field(body.items[0], "messages")) out.push_back(m);
        }
      };
  auto sanitize = [](const std::string& p) { return p.starts_with('/') ? p.substr(1) : p; };
  Out artifacts = Out::Array();
  Out results = Out::Array();
  std::set<std::string> seen;
  for (const FileReport& rep : reports) {
    if (rep.status != EvalStatus::kFail) continue;
    if (!rep.name.empty() && seen.insert(rep.name).second) {
      Out loc = Out::Object();
      loc.Add("uri", Out::Str(sanitize(rep.name)));
      artifacts.Push(Out::Variant("location", std::move(loc)));
    }
    for (const Out& failure : rep.not_compliant) {
      std::vector<const Out*> ms;
      messages(failure, ms);
      std::string rule_id;
      if (!failure.keys.empty() && failure.keys[0] == "Rule") {
        const Out* n = field(failure.items[0], "name");
        std::string name = n ? n->s : "";
        name = name.substr(0, name.find('.'));
        for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        rule_id = name;
      }
      for (const Out* m : ms) {
        const Out* custom = field(*m, "custom_message");
        const Out* error = field(*m, "error_message");
        const std::string text = (error && error->type == Out::Type::kString ? error->s : "") +
                                 " " +
                                 (custom && custom->type == Out::Type::kString ? custom->s : "");
        const std::int64_t line = m->b ? (m->i >> 32) : 0;
        const std::int64_t col = m->b ? (m->i & 0xffffffff) : 0;
        Out res = Out::Object();
        res.Add("ruleId", Out::Str(rule_id));
        res.Add("level", Out::Str("error"));
        res.Add("message", Out::Variant("text", Out::Str(text)));
        Out region = Out::Object();
        region.Add("startLine", Out::Int(std::max<std::int64_t>(line, 1)));
        region.Add("startColumn", Out::Int(std::max<std::int64_t>(col, 1)));
        Out physical = Out::Object();
        physical.Add("artifactLocation", Out::Variant("uri", Out::Str(sanitize(rep.name))));
        physical.Add("region", std::move(region));
        Out locations = Out::Array();
        locations.Push(Out::Variant("physicalLocation", std::move(physical)));
        res.Add("locations", std::move(locations));
        results.Push(std::move(res));
      }
    }
  }
  Out driver = Out::Object();
  driver.Add("name", Out::Str("cfn-guard"));
  driver.Add("semanticVersion", Out::Str("3.1.1"));
  driver.Add("fullName", Out::Str("cfn-guard 3.1.1"));
  driver.Add("organization", Out::Str("Amazon Web Services"));
  driver.Add("downloadUri", Out::Str("https://github.com/aws-cloudformation/cloudformation-guard"));
  driver.Add("informationUri",
             Out::Str("https://github.com/aws-cloudformation/cloudformation-guard"));
  driver.Add(
      "shortDescription",
      Out::Variant("text", Out::Str("AWS CloudFormation Guard is an open-source general-purpose "
                                    "policy-as-code evaluation tool. It provides developers with a "
                                    "simple-to-use, yet powerful and expressive domain-specific "
                                    "language (DSL) to define policies and enables developers to "
                                    "validate JSON- or YAML- formatted structured data with those "
                                    "policies.")));
  Out run = Out::Object();
  run.Add("tool", Out::Variant("driver", std::move(driver)));
  run.Add("artifacts", std::move(artifacts));
  run.Add("results", std::move(results));
  Out runs = Out::Array();
  runs.Push(std::move(run));
  Out doc = Out::Object();
  doc.Add("$schema", Out::Str("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                              "sarif-schema-2.1.0.json"));
  doc.Add("version", Out::Str("2.1.0"));
  doc.Add("runs", std::move(runs));
  return ToJsonPretty(doc);
}

}  // namespace vigil::guard::report
