// Helpers for the Guard tests: the real cfn-guard binary (when installed by
// scripts/install-cfn-guard), the shared reference docs, the snippet corpus, and JSON comparison.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "json/value.h"

namespace vigil::guard::testing {

namespace fs = std::filesystem;

inline std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteFile(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

inline fs::path SourceDir() { return fs::path(VIGIL_SOURCE_DIR); }
inline fs::path TestData() { return SourceDir() / "src" / "guard" / "testdata"; }

// ../shared beside the checkout (VIGIL_SHARED_DIR overrides), or empty when absent.
inline fs::path GuardDocsDir() {
  const char* env = std::getenv("VIGIL_SHARED_DIR");
  const fs::path shared = env ? fs::path(env) : SourceDir() / ".." / "shared";
  const fs::path dir = shared / "aws-config" / "formats" / "guard";
  return fs::is_directory(dir) ? dir : fs::path();
}

// build/tools as scripts/install-cfn-guard leaves it (VIGIL_CFN_GUARD_DIR overrides).
inline fs::path ToolsDir() {
  const char* env = std::getenv("VIGIL_CFN_GUARD_DIR");
  return env ? fs::path(env) : SourceDir() / "build" / "tools";
}

// The cfn-guard 3.1.1 binary, or nullopt when it is not installed.
inline std::optional<fs::path> CfnGuard() {
  const fs::path bin = ToolsDir() / "cfn-guard";
  if (access(bin.c_str(), X_OK) != 0) return std::nullopt;
  return bin;
}

// The Control Tower Guard rules shipped in the npm package, or empty when not installed.
inline std::vector<fs::path> ControlTowerRules() {
  std::vector<fs::path> out;
  const fs::path dir = ToolsDir() / "cdk-validator-cfnguard" / "rules" / "control-tower";
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".guard") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

struct CfnGuardTree {
  bool accepted = false;
  std::string json;  // `cfn-guard parse-tree -p` output when accepted ("null" for no rules)
};

// Runs `cfn-guard parse-tree -r <file> -p`.
inline CfnGuardTree RunCfnGuardParseTree(const fs::path& bin, const fs::path& file) {
  CfnGuardTree out;
  const std::string cmd =
      "'" + bin.string() + "' parse-tree -r '" + file.string() + "' -p 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.json.append(buf, n);
  const int status = pclose(p);
  out.accepted = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return out;
}

// Structural JSON equality: objects key by key in order, numbers compared as doubles (serde
// writes 1.0 where vigil may write 1). On a difference, `where` gets a JSON-pointer-ish path.
inline bool SameJson(const json::Value& a, const json::Value& b, std::string& where,
                     const std::string& path = "") {
  if (a.type() != b.type()) {
    where = path + ": " + a.ToJson().substr(0, 200) + " vs " + b.ToJson().substr(0, 200);
    return false;
  }
  switch (a.type()) {
    case json::Type::kNumber:
      if (*a.Number() != *b.Number()) {
        where = path + ": " + a.ToJson() + " vs " + b.ToJson();
        return false;
      }
      return true;
    case json::Type::kArray: {
      if (a.Size() != b.Size()) {
        where = path + ": " + std::to_string(a.Size()) + " vs " + std::to_string(b.Size()) +
                " elements";
        return false;
      }
      for (size_t i = 0; i < a.Size(); ++i)
        if (!SameJson(a.At(i), b.At(i), where, path + "/" + std::to_string(i))) return false;
      return true;
    }
    case json::Type::kObject: {
      std::vector<std::string> ka, kb;
      for (const auto& m : a.Members()) ka.emplace_back(m.key);
      for (const auto& m : b.Members()) kb.emplace_back(m.key);
      if (ka != kb) {
        where = path + ": different keys";
        return false;
      }
      for (const auto& k : ka)
        if (!SameJson(a.Get(k), b.Get(k), where, path + "/" + k)) return false;
      return true;
    }
    default:
      if (a.ToJson() != b.ToJson()) {
        where = path + ": " + a.ToJson() + " vs " + b.ToJson();
        return false;
      }
      return true;
  }
}

inline bool SameJsonText(const std::string& a, const std::string& b, std::string& where) {
  auto da = json::Document::Parse(a);
  auto db = json::Document::Parse(b);
  if (!da.ok() || !db.ok()) {
    where = "not JSON: " + (da.ok() ? db.status().message() : da.status().message());
    return false;
  }
  return SameJson(da->Root(), db->Root(), where);
}

struct Case {
  std::string name;
  std::string text;
};

// testdata/snippets.guard-cases: "### name" lines start cases; lines before the first are
// comments. The case named "crlf" is given CRLF line endings.
inline std::vector<Case> ReadCases(const fs::path& p) {
  std::vector<Case> out;
  std::istringstream in(ReadFile(p));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("### ", 0) == 0) {
      out.push_back({line.substr(4), ""});
    } else if (!out.empty()) {
      out.back().text += line + (out.back().name == "crlf" ? "\r\n" : "\n");
    }
  }
  return out;
}

// The fenced code blocks of a Markdown file that may hold Guard (untagged or tagged other than
// yaml/json/shell), named "<file>#<index of the block in the file>".
inline std::vector<Case> MarkdownGuardBlocks(const fs::path& md) {
  std::vector<Case> out;
  const std::string text = ReadFile(md);
  size_t pos = 0;
  int index = 0;
  for (;;) {
    const size_t open = text.find("```", pos);
    if (open == std::string::npos) break;
    const size_t eol = text.find('\n', open);
    if (eol == std::string::npos) break;
    const std::string lang = text.substr(open + 3, eol - open - 3);
    const size_t close = text.find("```", eol + 1);
    if (close == std::string::npos) break;
    const bool skip = lang == "yaml" || lang == "yml" || lang == "json" || lang == "bash" ||
                      lang == "shell" || lang == "sh";
    if (!skip)
      out.push_back({md.filename().string() + "#" + std::to_string(index),
                     text.substr(eol + 1, close - eol - 1)});
    ++index;
    pos = close + 3;
  }
  return out;
}

}  // namespace vigil::guard::testing
