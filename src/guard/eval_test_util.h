// Helpers for the evaluator's tests: the `.cases` corpus format, running rules over data with
// vigil, and running the real cfn-guard 3.1.1 with --print-json.
//
// A `.cases` file (testdata/eval/) holds cases: "### name" starts one and the lines after it are
// its rules file; "--- file-name" starts a data file of the case (the name's extension is only
// for people). Lines before the first case are comments.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "guard/data.h"
#include "guard/eval.h"
#include "guard/guard_test_util.h"
#include "guard/parser.h"

namespace vigil::guard::testing {

struct EvalCase {
  std::string name;
  std::string rules;
  std::vector<std::pair<std::string, std::string>> data;  // file name, text
};

inline std::vector<EvalCase> ReadEvalCases(const fs::path& p) {
  std::vector<EvalCase> out;
  std::istringstream in(ReadFile(p));
  std::string line;
  bool in_data = false;
  while (std::getline(in, line)) {
    if (line.rfind("### ", 0) == 0) {
      out.push_back({line.substr(4), "", {}});
      in_data = false;
    } else if (out.empty()) {
      continue;
    } else if (line.rfind("--- ", 0) == 0) {
      out.back().data.emplace_back(line.substr(4), "");
      in_data = true;
    } else if (in_data) {
      out.back().data.back().second += line + "\n";
    } else {
      out.back().rules += line + "\n";
    }
  }
  return out;
}

// What vigil makes of rules over data, in the shape the differential tests compare.
struct EvalOutcome {
  int exit = 0;       // cfn-guard's: 0 pass/skip, 19 fail, 5 rules do not parse, 255 error
  std::string error;  // for 255: the text after "Error occurred "
  std::vector<std::pair<std::string, std::string>> rules;  // name, PASS/FAIL/SKIP
  std::string tree;                                        // --print-json tree (exit 0/19)
};

inline EvalOutcome RunVigil(const std::string& rules_name, const std::string& rules_text,
                            const std::string& data_name, const std::string& data_text,
                            bool record = true) {
  EvalOutcome o;
  const Source src(rules_name, rules_text);
  auto file = Parse(src);
  if (!file.ok()) {
    o.exit = 5;
    o.error = file.status().message();
    return o;
  }
  auto compiled = CompiledRules::Compile(*file, rules_name);
  auto doc = DataDocument::Load(data_name, data_text);
  if (!doc.ok()) {
    o.exit = 255;
    o.error = doc.status().message();
    return o;
  }
  EvalOptions opts;
  opts.data_file_name = data_name;
  opts.record = record;
  auto ev = Evaluate(*compiled, doc->root(), opts);
  if (!ev.ok()) {
    o.exit = 255;
    o.error = ev.status().message();
    return o;
  }
  for (const auto& r : ev->rules()) o.rules.emplace_back(std::string(r.name), StatusName(r.status));
  o.exit = ev->status() == EvalStatus::kFail ? 19 : 0;
  if (record) o.tree = ev->RecordTreeJson();
  return o;
}

// Runs `cfn-guard validate -r rules -d data -p -S none`: exit status, the error line (after
// "Error occurred "), the printed tree, and the rule statuses read from the tree.
inline EvalOutcome RunCfnGuardEval(const fs::path& bin, const fs::path& rules,
                                   const fs::path& data) {
  EvalOutcome o;
  const fs::path err = data.string() + ".stderr";
  const std::string cmd = "'" + bin.string() + "' validate -r '" + rules.string() + "' -d '" +
                          data.string() + "' -p -S none 2>'" + err.string() + "'";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  if (p) {
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    const int status = pclose(p);
    o.exit = WIFEXITED(status) ? WEXITSTATUS(status) : 255;
  }
  if (o.exit != 0 && o.exit != 19 && o.exit != 5) o.exit = 255;
  const std::string stderr_text = ReadFile(err);
  std::error_code ec;
  fs::remove(err, ec);
  if (o.exit == 255) {
    std::string first = stderr_text.substr(0, stderr_text.find('\n'));
    const std::string prefix = "Error occurred ";
    if (first.rfind(prefix, 0) == 0) first = first.substr(prefix.size());
    o.error = first;
    return o;
  }
  if (o.exit == 5) return o;
  const size_t start = out.find("\n{\n");
  o.tree =
      start == std::string::npos ? (out.rfind("{\n", 0) == 0 ? out : "") : out.substr(start + 1);
  auto doc = json::Document::Parse(o.tree);
  if (doc.ok())
    for (const auto& child : doc->Root().Get("children").Elements()) {
      const json::Value rc = child.Get("container").Get("RuleCheck");
      o.rules.emplace_back(std::string(rc.Get("name").String().value_or("")),
                           std::string(rc.Get("status").String().value_or("")));
    }
  return o;
}

}  // namespace vigil::guard::testing
