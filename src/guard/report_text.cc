// The text and per-file outputs of `validate` without --structured (cfn.rs, tf.rs,
// generic_summary.rs) and the JUnit report of `validate --structured`.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

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

// --- The template reports (cfn.rs, tf.rs) -----------------------------------------------------

const Out* Field(const Out& o, std::string_view k) {
  for (size_t i = 0; i < o.keys.size(); ++i)
    if (o.keys[i] == k) return &o.items[i];
  return nullptr;
}

// A string field that may be null: "" when absent.
std::string_view Text(const Out* o, std::string_view k) {
  const Out* f = o ? Field(*o, k) : nullptr;
  return f && f->type == Out::Type::kString ? std::string_view(f->s) : std::string_view();
}

// The single variant of a serde enum value ({"Variant": body}).
std::string_view VariantName(const Out& o) {
  return o.type == Out::Type::kObject && o.keys.size() == 1 ? std::string_view(o.keys[0])
                                                            : std::string_view();
}
const Out& VariantBody(const Out& o) { return o.items[0]; }

// A (path, value) pair (PathValueOut): the data node.
const Node* PairNode(const Out* pair) {
  const Out* v = pair ? Field(*pair, "value") : nullptr;
  return v && v->type == Out::Type::kNode ? v->node : nullptr;
}

CmpOperator OperatorOf(const Out* comparison, bool& negated) {
  negated = false;
  if (!comparison || comparison->items.size() != 2) return CmpOperator::kEq;
  negated = comparison->items[1].b;
  for (int k = 0; k <= static_cast<int>(CmpOperator::kIsFloat); ++k) {
    const auto op = static_cast<CmpOperator>(k);
    if (comparison->items[0].s == CfnGuardName(op)) return op;
  }
  return CmpOperator::kEq;
}

// A failed check as cfn-guard's ClauseReport: which variant, and the values it compared
// (ValueComparisons::value_from / value_to).
struct ClauseView {
  std::string_view kind;   // "Rule", "Block", "Disjunctions", "Clause"
  std::string_view shape;  // Clause: "Unary" or "Binary"
  std::string_view check;  // Clause: the check's variant ("Resolved", "UnResolved", …)
  const Out* body = nullptr;
  const Out* check_body = nullptr;
  const Node* from = nullptr;
  const Node* to = nullptr;
};

ClauseView View(const Out& clause) {
  ClauseView v;
  v.kind = VariantName(clause);
  if (v.kind.empty()) return v;
  v.body = &VariantBody(clause);
  if (v.kind == "Block") {
    const Out* u = Field(*v.body, "unresolved");
    if (u && u->type == Out::Type::kObject) v.from = PairNode(Field(*u, "traversed_to"));
  } else if (v.kind == "Clause") {
    v.shape = VariantName(*v.body);
    if (v.shape.empty()) return v;
    v.body = &VariantBody(*v.body);
    const Out* check = Field(*v.body, "check");
    if (!check || VariantName(*check).empty()) return v;
    v.check = VariantName(*check);
    v.check_body = &VariantBody(*check);
    if (v.check == "UnResolved") {
      const Out* value = Field(*v.check_body, "value");
      v.from = value ? PairNode(Field(*value, "traversed_to")) : nullptr;
    } else if (v.check == "Resolved" && v.shape == "Unary") {
      v.from = PairNode(Field(*v.check_body, "value"));
    } else if (v.check == "Resolved" || v.check == "InResolved") {
      v.from = PairNode(Field(*v.check_body, "from"));
      if (v.check == "Resolved") v.to = PairNode(Field(*v.check_body, "to"));
    }
  }
  return v;
}

// populate_hierarchy_path_trees: every compared value's path → the checks that compared it (with
// the check's place in the rule hierarchy, "/rule/Or[…]/C[…]").
struct TreeNode {
  std::string hierarchy;
  const Out* clause;
};
using PathTree = std::map<std::string, std::vector<TreeNode>>;

void Populate(const Out& clause, const std::string& parent, PathTree& tree) {
  const ClauseView v = View(clause);
  const std::string id = fmt::format("{}", static_cast<const void*>(&clause));
  if (v.kind == "Clause" || v.kind == "Block") {
    const std::string key = parent + (v.kind == "Block" ? "/B[" : "/C[") + id + "]";
    if (v.from) tree[PathOf(*v.from)].push_back({key, &clause});
    if (v.to) tree[PathOf(*v.to)].push_back({key, &clause});
    return;
  }
  std::string key;
  if (v.kind == "Rule") {
    key = parent + "/" + std::string(Text(v.body, "name"));
  } else if (v.kind == "Disjunctions") {
    key = parent + "/Or[" + id + "]";
  } else {
    return;
  }
  if (const Out* checks = Field(*v.body, "checks"))
    for (const Out& c : checks->items) Populate(c, key, tree);
}

// Traversal::at for an absolute path: the node whose path is `target`. cfn-guard indexes every
// value by its path string, later values replacing earlier ones, so with keys holding '/' the
// last match in document order wins.
// `target[0, consumed)` is the path of `n`.
const Node* FindPath(const Node& n, size_t consumed, std::string_view target) {
  if ((!n.IsMap() && !n.IsList()) || consumed >= target.size() || target[consumed] != '/')
    return nullptr;
  const std::string_view rest = target.substr(consumed + 1);
  for (std::uint32_t k = n.size; k-- > 0;) {
    const std::string index = n.IsList() ? std::to_string(k) : std::string();
    const std::string_view step = n.IsMap() ? n.EntryKey(k).text() : std::string_view(index);
    if (!rest.starts_with(step)) continue;
    const Node& child = n.IsMap() ? n.EntryValue(k) : n.Element(k);
    if (rest.size() == step.size()) return &child;
    if (const Node* found = FindPath(child, consumed + 1 + step.size(), target)) return found;
  }
  return nullptr;
}
const Node* At(const Node& root, std::string_view target) {
  if (target.empty() || target == "/") return &root;
  return FindPath(root, 0, target);
}

// A non-compliant resource (LocalResourceAggr).
struct ResourceAggr {
  std::string name;
  std::string type;
  std::string cdk_path;
  std::unordered_set<const Out*> clauses;
  std::set<std::string> paths;
};

// Where cfn-guard gives up on its template report: an internal error (it then uses the next
// reporter) or a panic (vigil uses the next reporter too).
struct GiveUp {};

// utils::ReadCursor, with its quirks: seeking past the lines read so far after seeking back
// numbers the lines it reads from where the cursor was, not from where the file is.
class ReadCursor {
 public:
  explicit ReadCursor(std::string_view text) : rest_(text) {}

  using Line = std::pair<std::uint64_t, std::string_view>;

  std::optional<Line> Next() {
    if (line_num_ < lines_.size()) return lines_[line_num_++];
    const auto l = ReadLine();
    if (!l) return std::nullopt;
    lines_.emplace_back(++line_num_, *l);
    return lines_[line_num_ - 1];
  }

  std::optional<Line> SeekLine(std::uint64_t line) {
    if (lines_.size() > line) {
      line_num_ = line;
      return lines_[line_num_ - 1];
    }
    while (const auto l = ReadLine()) {
      lines_.emplace_back(++line_num_, *l);
      if (line_num_ == line) return lines_[line_num_ - 1];
    }
    return std::nullopt;
  }

 private:
  // str::lines(): split at '\n', a '\r' before it dropped; no empty line after a final '\n'.
  std::optional<std::string_view> ReadLine() {
    if (rest_.empty()) return std::nullopt;
    const size_t nl = rest_.find('\n');
    std::string_view line = rest_.substr(0, nl);
    if (nl == std::string_view::npos) {
      rest_ = {};
      return line;
    }
    rest_.remove_prefix(nl + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    return line;
  }

  std::string_view rest_;
  std::uint64_t line_num_ = 0;
  std::vector<Line> lines_;
};

// Rust's char::is_whitespace, for the code point starting at s[k] (its length in `len`).
bool RustSpaceAt(std::string_view s, size_t k, size_t& len) {
  const auto c = static_cast<unsigned char>(s[k]);
  len = 1;
  if (c == ' ' || (c >= 0x09 && c <= 0x0d)) return true;
  if (c < 0x80) return false;
  char32_t cp = 0;
  if ((c & 0xe0) == 0xc0 && k + 1 < s.size()) {
    cp = ((c & 0x1fu) << 6) | (static_cast<unsigned char>(s[k + 1]) & 0x3fu);
    len = 2;
  } else if ((c & 0xf0) == 0xe0 && k + 2 < s.size()) {
    cp = ((c & 0x0fu) << 12) | ((static_cast<unsigned char>(s[k + 1]) & 0x3fu) << 6) |
         (static_cast<unsigned char>(s[k + 2]) & 0x3fu);
    len = 3;
  } else {
    return false;
  }
  return cp == 0x85 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

std::string_view RustTrim(std::string_view s) {
  size_t len = 0;
  while (!s.empty() && RustSpaceAt(s, 0, len)) s.remove_prefix(len);
  // From the end: find the start of the last code point.
  while (!s.empty()) {
    size_t start = s.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xc0) == 0x80) --start;
    if (!RustSpaceAt(s, start, len) || start + len != s.size()) break;
    s.remove_suffix(len);
  }
  return s;
}

std::string Pad(std::string_view s, size_t width) {
  std::string out(s);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

// emit_messages.
void EmitMessages(std::string& out, const std::string& prefix, std::string_view message,
                  std::string_view error, size_t width) {
  if (!message.empty()) {
    const char sep = message.find(';') != std::string_view::npos    ? ';'
                     : message.find('\n') != std::string_view::npos ? '\n'
                                                                    : '\0';
    std::vector<std::string_view> parts;
    size_t pos = 0;
    for (;;) {
      const size_t at = sep ? message.find(sep, pos) : std::string_view::npos;
      const std::string_view part = RustTrim(message.substr(pos, at - pos));
      if (!part.empty()) parts.push_back(part);
      if (at == std::string_view::npos) break;
      pos = at + 1;
    }
    if (parts.empty()) throw GiveUp{};  // cfn-guard indexes the empty list and panics
    if (parts.size() > 1) {
      out += prefix + Pad("Message", width) + " {\n";
      for (const auto p : parts) out += fmt::format("{}  {}\n", prefix, p);
      out += prefix + "}\n";
    } else {
      out += fmt::format("{}{} = {}\n", prefix, Pad("Message", width), parts[0]);
    }
  }
  if (!error.empty()) out += fmt::format("{}{} = {}\n", prefix, Pad("Error", width), error);
}

// The per-template differences between cfn.rs's and tf.rs's ComparisonErrorWriter.
class ErrWriter {
 public:
  virtual ~ErrWriter() = default;
  virtual void MissingProperty(std::string& out, const Node* traversed_to,
                               const std::string& prefix) = 0;
  // Return the width the messages are aligned to.
  virtual size_t Binary(std::string& out, const Node& from, const Node& to, CmpOperator op,
                        bool negated, const std::string& prefix) = 0;
  virtual size_t BinaryIn(std::string& out, const Node& from, const Out& to, CmpOperator op,
                          bool negated, const std::string& prefix) = 0;
  virtual size_t Unary(std::string& out, const Node& value, CmpOperator op, bool negated,
                       const std::string& prefix) = 0;
};

constexpr size_t kCmpWidth = 16;  // "PropertyPath".len() + 4

class CfnErrWriter : public ErrWriter {
 public:
  explicit CfnErrWriter(std::string_view text) : code_(text) {}

  void MissingProperty(std::string& out, const Node* traversed_to,
                       const std::string& prefix) override {
    if (traversed_to) EmitCode(out, LocationOf(*traversed_to).line, prefix);
  }
  size_t Binary(std::string& out, const Node& from, const Node& to, CmpOperator op, bool negated,
                const std::string& prefix) override {
    out += fmt::format("{0}{1}= {2}\n{0}{3}= {4}\n{0}{5}= {6}\n{0}{7}= {8}\n", prefix,
                       Pad("PropertyPath", kCmpWidth), PathWithLocation(from),
                       Pad("Operator", kCmpWidth), CmpText(op, negated), Pad("Value", kCmpWidth),
                       ValueOnly(from), Pad("ComparedWith", kCmpWidth), ValueOnly(to));
    EmitCode(out, LocationOf(from).line, prefix);
    return kCmpWidth;
  }
  size_t BinaryIn(std::string& out, const Node& from, const Out& to, CmpOperator op, bool negated,
                  const std::string& prefix) override {
    // format!("{:?}", Vec<ValueOnlyDisplay>): "[a, b]" (cut_off never applies: it is at least
    // the list's length).
    std::string with = "[";
    for (size_t k = 0; k < to.items.size(); ++k) {
      if (k) with += ", ";
      if (const Node* n = PairNode(&to.items[k])) AppendValueOnly(with, *n);
    }
    with += ']';
    out += fmt::format("{0}{1}= {2}\n{0}{3}= {4}\n{0}{5}= {6}\n{0}{7}= {8}\n", prefix,
                       Pad("PropertyPath", kCmpWidth), PathWithLocation(from),
                       Pad("Operator", kCmpWidth), CmpText(op, negated), Pad("Value", kCmpWidth),
                       ValueOnly(from), Pad("ComparedWith", kCmpWidth), with);
    EmitCode(out, LocationOf(from).line, prefix);
    return kCmpWidth;
  }
  size_t Unary(std::string& out, const Node& value, CmpOperator op, bool negated,
               const std::string& prefix) override {
    out += fmt::format("{0}{1}= {2}\n{0}{3}= {4}\n", prefix, Pad("PropertyPath", kCmpWidth),
                       PathWithLocation(value), Pad("Operator", kCmpWidth), CmpText(op, negated));
    EmitCode(out, LocationOf(value).line, prefix);
    return kCmpWidth;
  }

 private:
  // Up to six lines of the template, from two lines before the value's (0-based) line, with
  // cfn-guard's arithmetic: `line - 2` wraps for the first two lines, which print nothing.
  void EmitCode(std::string& out, std::uint64_t line, const std::string& prefix) {
    out += prefix + "Code:\n";
    const std::string inner = prefix + "  ";
    if (const auto l = code_.SeekLine(std::max<std::uint64_t>(1, line - 2)))
      out += fmt::format("{}{:>5}.{}\n", inner, l->first, l->second);
    for (int context = 5; context > 0; --context) {
      const auto l = code_.Next();
      if (!l) break;
      out += fmt::format("{}{:>5}.{}\n", inner, l->first, l->second);
    }
  }

  ReadCursor code_;
};

class TfErrWriter : public ErrWriter {
 public:
  void MissingProperty(std::string&, const Node*, const std::string&) override {}
  size_t Binary(std::string& out, const Node& from, const Node& to, CmpOperator op, bool negated,
                const std::string& prefix) override {
    const std::string from_path = PathOf(from);
    const std::string resource_based =
        from_path.starts_with("/resource_changes") ? from_path : PathOf(to);
    const size_t at = resource_based.find("change/after/");
    if (at == std::string::npos) throw GiveUp{};  // slicing "" past its end panics
    std::string property = resource_based.substr(at + std::strlen("change/after/"));
    std::replace(property.begin(), property.end(), '/', '.');
    out += fmt::format("{0}{1}= {2}\n{0}{3}= {4}\n{0}{5}= {6}\n{0}{7}= {8}\n", prefix,
                       Pad("PropertyPath", kCmpWidth), property, Pad("Operator", kCmpWidth),
                       CmpText(op, negated), Pad("Value", kCmpWidth), ValueOnly(from),
                       Pad("ComparedWith", kCmpWidth), ValueOnly(to));
    return kCmpWidth;
  }
  size_t BinaryIn(std::string&, const Node&, const Out&, CmpOperator, bool,
                  const std::string&) override {
    throw GiveUp{};  // todo!() in cfn-guard 3.1.1
  }
  size_t Unary(std::string& out, const Node& value, CmpOperator op, bool negated,
               const std::string& prefix) override {
    // tf.rs looks for "changes/after/", which paths of plans do not hold: the property is "".
    const std::string path = PathOf(value);
    const size_t at = path.find("changes/after/");
    std::string property = at == std::string::npos ? std::string() : path.substr(at);
    std::replace(property.begin(), property.end(), '/', '.');
    out += fmt::format("{0}{1}= {2}\n{0}{3}= {4}\n", prefix, Pad("PropertyPath", kCmpWidth),
                       property, Pad("Operator", kCmpWidth), CmpText(op, negated));
    return kCmpWidth;
  }
};

// emit_retrieval_error.
void RetrievalError(std::string& out, const std::string& prefix, const Out& unresolved,
                    std::string_view context, std::string_view message, ErrWriter& err) {
  out += fmt::format("{}Check = {} {{\n", prefix, context);
  const std::string p2 = prefix + "  ";
  EmitMessages(out, p2, message, "", 0);
  out += p2 + "RequiredPropertyError {\n";
  const std::string p3 = p2 + "  ";
  const Out* value = Field(unresolved, "value");
  const Node* traversed_to = value ? PairNode(Field(*value, "traversed_to")) : nullptr;
  out += fmt::format("{}PropertyPath = {}\n", p3,
                     traversed_to ? PathWithLocation(*traversed_to) : std::string());
  out += fmt::format("{}MissingProperty = {}\n", p3, Text(value, "remaining_query"));
  if (const std::string_view reason = Text(value, "reason"); !reason.empty())
    out += fmt::format("{}Reason = {}\n", p3, reason);
  err.MissingProperty(out, traversed_to, p3);
  out += p2 + "}\n";
  out += prefix + "}\n";
}

// pprint_clauses: a failed rule and what in it concerns `resource`.
void PrintClauses(std::string& out, const Out& clause, const ResourceAggr& resource,
                  const std::string& prefix, ErrWriter& err) {
  // Every resource walks every failed rule (cfn-guard prints the rule's ALL/ANY skeleton for
  // each), so the checks of other resources are skipped before anything else.
  const std::string_view kind = VariantName(clause);
  if ((kind == "Block" || kind == "Clause") && !resource.clauses.count(&clause)) return;
  const ClauseView v = View(clause);
  const std::string p2 = prefix + "  ";
  if (v.kind == "Rule") {
    out += fmt::format("{}Rule = {} {{\n", prefix, Text(v.body, "name"));
    const Out* m = Field(*v.body, "messages");
    EmitMessages(out, p2, Text(m, "custom_message"), Text(m, "error_message"), 0);
    out += p2 + "ALL {\n";
    if (const Out* checks = Field(*v.body, "checks"))
      for (const Out& c : checks->items) PrintClauses(out, c, resource, p2 + "  ", err);
    out += p2 + "}\n";
    out += prefix + "}\n";
    return;
  }
  if (v.kind == "Disjunctions") {
    out += prefix + "ANY {\n";
    if (const Out* checks = Field(*v.body, "checks"))
      for (const Out& c : checks->items) PrintClauses(out, c, resource, p2, err);
    out += prefix + "}\n";
    return;
  }
  const Out* m = Field(*v.body, "messages");
  const std::string_view custom = Text(m, "custom_message");
  const std::string_view error = Text(m, "error_message");
  const std::string_view context = Text(v.body, "context");
  const std::string p3 = p2 + "  ";
  if (v.kind == "Block") {
    out += fmt::format("{}Check = {} {{\n", prefix, context);
    out += p2 + "RequiredPropertyError {\n";
    const Out* u = Field(*v.body, "unresolved");
    const bool has_unresolved = u && u->type == Out::Type::kObject;
    const std::string traversed_to = has_unresolved && v.from ? PathOf(*v.from) : std::string();
    size_t width = std::strlen("Message") + 4;
    if (!traversed_to.empty()) {
      width = std::strlen("MissingProperty") + 4;
      out += fmt::format("{0}{1}= {2}\n{0}{3}= {4}\n", p3, Pad("PropertyPath", width), traversed_to,
                         Pad("MissingProperty", width), Text(u, "remaining_query"));
    }
    std::string post;
    err.MissingProperty(post, has_unresolved ? v.from : nullptr, p3);
    EmitMessages(out, p3, custom, error, width);
    out += post + "\n";
    out += p2 + "}\n";
    out += prefix + "}\n";
    return;
  }
  if (v.kind != "Clause" || !v.check_body) return;
  if (v.check == "UnResolved") {
    RetrievalError(out, prefix, *v.check_body, context, custom, err);
    return;
  }
  bool negated = false;
  const CmpOperator op = OperatorOf(Field(*v.check_body, "comparison"), negated);
  if (v.check == "UnResolvedContext" || !v.from) return;
  out += fmt::format("{}Check = {} {{\n", prefix, context);
  out += p2 + "ComparisonError {\n";
  std::string post;
  size_t width = 0;
  if (v.shape == "Unary") {
    width = err.Unary(post, *v.from, op, negated, p3);
  } else if (v.check == "Resolved" && v.to) {
    width = err.Binary(post, *v.from, *v.to, op, negated, p3);
  } else if (v.check == "InResolved") {
    const Out* to = Field(*v.check_body, "to");
    const Out empty = Out::Array();
    width = err.BinaryIn(post, *v.from, to ? *to : empty, op, negated, p3);
  }
  EmitMessages(out, p3, custom, error, width);
  if (v.check == "InResolved") {
    out += p2 + "}\n";
    out += post + "\n";
  } else {
    out += post + "\n";
    out += p2 + "}\n";
  }
  out += prefix + "}\n";
}

std::string ReplaceN(std::string_view s, char from, char to, size_t n) {
  std::string out(s);
  for (char& c : out) {
    if (n == 0) break;
    if (c == from) {
      c = to;
      --n;
    }
  }
  return out;
}

// CFN_RESOURCES (`^/Resources/(?P<name>[^/]+)…`): the resource name of a path, or nullopt.
std::optional<std::string> ResourceNameOf(std::string_view path) {
  constexpr std::string_view kPrefix = "/Resources/";
  if (!path.starts_with(kPrefix)) return std::nullopt;
  const std::string_view rest = path.substr(kPrefix.size());
  const std::string_view name = rest.substr(0, rest.find('/'));
  if (name.empty()) return std::nullopt;
  return std::string(name);
}

// handle_resource_aggr: adds the checks at one path to the resource `name`, if the template has
// a resource of that name with a Type.
bool AddToResource(const Node& root, const std::string& name, const std::vector<TreeNode>& nodes,
                   std::map<std::string, ResourceAggr>& by_resource) {
  const std::string path = "/Resources/" + name;
  if (!At(root, path)) return false;
  const Node* type = At(root, path + "/Type");
  if (!type) return false;
  if (type->kind != Kind::kString) throw GiveUp{};
  const Node* cdk = At(root, path + "/Metadata/aws:cdk:path");
  if (cdk && cdk->kind != Kind::kString) throw GiveUp{};
  auto [it, inserted] = by_resource.try_emplace(name);
  ResourceAggr& r = it->second;
  if (inserted) {
    r.name = name;
    r.type = std::string(type->text());
    if (cdk) r.cdk_path = std::string(cdk->text());
  }
  for (const TreeNode& n : nodes) {
    r.clauses.insert(n.clause);
    r.paths.insert(n.hierarchy);
  }
  return true;
}

void ByCfnResource(const Node& root, const PathTree& tree,
                   std::map<std::string, ResourceAggr>& by_resource) {
  for (auto it = tree.lower_bound("/Resources"); it != tree.end(); ++it) {
    const std::string& key = it->first;
    const auto matches = static_cast<size_t>(std::count(key.begin(), key.end(), '/'));
    if (matches <= 2) {
      const auto name = ResourceNameOf(key);
      if (!name) throw GiveUp{};  // "Unable to resolve key …": the next reporter takes over
      if (!AddToResource(root, *name, it->second, by_resource)) throw GiveUp{};
      continue;
    }
    // get_resource_name: the longest "/Resources/<name>" prefix naming a resource (a name may
    // hold '/'), tried by cutting the path one step at a time.
    for (size_t count = 1;; ++count) {
      if (matches == count) throw GiveUp{};
      std::string placeholder = ReplaceN(key, '/', '\f', matches - count);
      placeholder = ReplaceN(placeholder, '\f', '/', 2);
      auto name = ResourceNameOf(placeholder);
      if (!name) throw GiveUp{};
      std::replace(name->begin(), name->end(), '\f', '/');
      if (AddToResource(root, *name, it->second, by_resource)) break;
    }
  }
}

void ByTfResource(const Node& root, const PathTree& tree,
                  std::map<std::string, ResourceAggr>& by_resource) {
  constexpr std::string_view kChanges = "/resource_changes/";
  constexpr std::string_view kAfter = "/change/after/";
  for (auto it = tree.lower_bound(std::string(kChanges)); it != tree.end(); ++it) {
    const std::string& key = it->first;
    // RESOURCE_CHANGE_EXTRACTION, an unanchored search.
    std::optional<std::string> index;
    for (size_t at = key.find(kChanges); at != std::string::npos && !index;
         at = key.find(kChanges, at + 1)) {
      const size_t start = at + kChanges.size();
      const size_t end = key.find('/', start);
      if (end == std::string::npos || end == start) continue;
      if (std::string_view(key).substr(end).starts_with(kAfter))
        index = key.substr(start, end - start);
    }
    if (!index) throw GiveUp{};
    const std::string path = std::string("/resource_changes/") + *index;
    if (!At(root, path)) throw GiveUp{};
    const Node* address = At(root, path + "/address");
    if (!address || address->kind != Kind::kString) throw GiveUp{};
    const std::string_view addr = address->text();
    const size_t dot = addr.find('.');
    if (dot == std::string_view::npos) throw GiveUp{};
    const std::string name(addr.substr(dot + 1));
    auto [r, inserted] = by_resource.try_emplace(name);
    if (inserted) {
      r->second.name = name;
      r->second.type = std::string(addr.substr(0, dot));
    }
    for (const TreeNode& n : it->second) {
      r->second.clauses.insert(n.clause);
      r->second.paths.insert(n.hierarchy);
    }
  }
}

// cfn.rs / tf.rs single_line.
std::string TemplateText(const FileReport& report, const Node& root, std::string_view data_text,
                         std::string_view rules_file_name, std::string_view data_file_name,
                         bool terraform, const std::vector<std::string>* order) {
  if (report.not_compliant.empty()) return "";
  PathTree tree;
  for (const Out& rule : report.not_compliant) Populate(rule, "", tree);
  std::map<std::string, ResourceAggr> by_resource;
  if (terraform) {
    ByTfResource(root, tree, by_resource);
  } else {
    ByCfnResource(root, tree, by_resource);
  }
  std::vector<const ResourceAggr*> resources;
  if (order) {
    for (const auto& name : *order)
      if (auto it = by_resource.find(name); it != by_resource.end())
        resources.push_back(&it->second);
  }
  for (const auto& [name, r] : by_resource)
    if (std::find(resources.begin(), resources.end(), &r) == resources.end())
      resources.push_back(&r);

  std::string out =
      fmt::format("Evaluating data {} against rules {}\n", data_file_name, rules_file_name);
  out += fmt::format("Number of non-compliant resources {}\n", by_resource.size());
  std::unique_ptr<ErrWriter> err;
  if (terraform) {
    err = std::make_unique<TfErrWriter>();
  } else {
    err = std::make_unique<CfnErrWriter>(data_text);
  }
  for (const ResourceAggr* r : resources) {
    out += fmt::format("Resource = {} {{\n", r->name);
    out += fmt::format("  {}= {}\n", Pad("Type", 10), r->type);
    if (!r->cdk_path.empty()) out += fmt::format("  {}= {}\n", Pad("CDK-Path", 10), r->cdk_path);
    for (const Out& rule : report.not_compliant) {
      if (VariantName(rule) != "Rule") continue;
      const std::string prefix = "/" + std::string(Text(&VariantBody(rule), "name"));
      const auto p = r->paths.lower_bound(prefix);
      if (p == r->paths.end() || !p->starts_with(prefix)) continue;
      PrintClauses(out, rule, *r, "  ", *err);
    }
    out += "}\n";
  }
  return out;
}

}  // namespace

std::optional<std::string> TemplateSingleLine(const Evaluation& ev, const Node& data_root,
                                              std::string_view data_text,
                                              std::string_view rules_file_name,
                                              std::string_view data_file_name,
                                              const std::vector<std::string>* resource_order) {
  for (const bool terraform : {false, true}) {
    if (!At(data_root, terraform ? "/resource_changes" : "/Resources")) continue;
    try {
      return TemplateText(BuildFileReport(ev, data_file_name), data_root, data_text,
                          rules_file_name, data_file_name, terraform, resource_order);
    } catch (const GiveUp&) {
      // cfn-guard hands the file to the next reporter (Terraform, then the generic one).
    }
  }
  return std::nullopt;
}

std::string FileDetails(const Evaluation& ev, const Node& data_root, std::string_view data_text,
                        std::string_view rules_file_name, std::string_view data_file_name,
                        Format format, unsigned show) {
  if (format == Format::kJson) return ToJsonPretty(BuildFileReport(ev, data_file_name).ToOut());
  if (format == Format::kYaml) return ToYaml(BuildFileReport(ev, data_file_name).ToOut());
  if (auto text = TemplateSingleLine(ev, data_root, data_text, rules_file_name, data_file_name))
    return std::move(*text);
  return GenericSingleLine(ev, rules_file_name, data_file_name, show);
}

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

namespace {

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
