// The Guard benchmark driver (bench/guard/run): loads and evaluates data files against a rules
// file as `vigil guard validate -r RULES -d DATA -o json --structured -S none` does — every data
// file read and loaded first (in walk order, on several threads), then evaluated with its record
// tree, then cfn-guard's structured JSON report printed on stdout — for use until that command
// is wired into the vigil binary.
//
//   guard_bench [--threads N] [--statuses] [--stream] [--phases] RULES DATA
//
// --statuses evaluates without record trees and prints one "name status" line per file instead
// of the report; --stream prints the same report but keeps only each file's report text, not
// its document and evaluation (what a streaming `validate` would need in memory); --phases prints
// the time of each phase on stderr. Exit status as cfn-guard's:
// 0 pass, 19 a rule failed, 5 the rules do not parse, 255 an error.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "guard/data.h"
#include "guard/eval.h"
#include "guard/parser.h"
#include "guard/report.h"
#include "guard/source.h"

namespace fs = std::filesystem;
namespace g = vigil::guard;
namespace rep = vigil::guard::report;

namespace {

std::optional<std::string> ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::string s;
  in.seekg(0, std::ios::end);
  const auto size = static_cast<size_t>(in.tellg());
  s.reserve(size + 64);  // simdjson's padding: DataDocument::Load then keeps the buffer
  s.resize(size);
  in.seekg(0);
  in.read(s.data(), static_cast<std::streamsize>(s.size()));
  return s;
}

bool IsDataFile(const fs::path& p) {
  const std::string n = p.filename().string();
  for (const char* ext : {".yaml", ".yml", ".json", ".jsn", ".template"})
    if (n.size() >= std::strlen(ext) && n.compare(n.size() - std::strlen(ext), n.npos, ext) == 0)
      return true;
  return false;
}

// cfn-guard's walk: the base, then depth first, siblings sorted by file name.
void Walk(const fs::path& base, std::vector<fs::path>& out) {
  std::error_code ec;
  if (!fs::is_directory(base, ec)) {
    if (IsDataFile(base)) out.push_back(base);
    return;
  }
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(base, ec)) entries.push_back(e.path());
  std::sort(entries.begin(), entries.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
  for (const auto& e : entries) Walk(e, out);
}

void ParallelFor(size_t n, size_t threads, const std::function<void(size_t)>& fn) {
  threads = std::min(n, threads);
  if (threads <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (size_t i = next++; i < n; i = next++) fn(i);
    });
  for (auto& t : pool) t.join();
}

// The process's resident and peak resident memory in MB (Linux), for --phases.
std::string Memory() {
  std::ifstream in("/proc/self/status");
  std::string line, out;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0 || line.rfind("VmHWM:", 0) == 0) {
      const long kb = std::atol(line.c_str() + 6);
      out += line.substr(0, 5) + " " + std::to_string(kb / 1024) + " MB ";
    }
  return out;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  size_t threads = std::max(1u, std::thread::hardware_concurrency());
  bool statuses = false, phases = false, stream = false;
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--threads" && i + 1 < argc) {
      threads = static_cast<size_t>(std::max(1, std::atoi(argv[++i])));
    } else if (a == "--statuses") {
      statuses = true;
    } else if (a == "--stream") {
      stream = true;
    } else if (a == "--phases") {
      phases = true;
    } else {
      args.push_back(a);
    }
  }
  if (args.size() != 2) {
    std::fprintf(stderr, "usage: guard_bench [--threads N] [--statuses] [--phases] RULES DATA\n");
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();

  const auto rules_text = ReadAll(args[0]);
  if (!rules_text) {
    std::fprintf(stderr, "cannot read %s\n", args[0].c_str());
    return 255;
  }
  const std::string rules_name = fs::path(args[0]).filename().string();
  const g::Source source(rules_name, *rules_text);
  auto file = g::Parse(source);
  if (!file.ok()) {
    std::fprintf(stderr, "%s\n", file.status().message().c_str());
    return 5;
  }
  auto compiled = g::CompiledRules::Compile(*file, rules_name);
  if (!compiled.ok()) {
    std::fprintf(stderr, "%s\n", compiled.status().message().c_str());
    return 255;
  }

  std::vector<fs::path> paths;
  Walk(args[1], paths);
  if (stream) {
    // Each file read, loaded, evaluated and reported on its own; only the report text stays.
    std::vector<std::string> parts(paths.size());
    std::vector<std::string> errors(paths.size());
    std::vector<g::EvalStatus> status(paths.size(), g::EvalStatus::kSkip);
    ParallelFor(paths.size(), threads, [&](size_t i) {
      std::error_code ec;
      std::string name = fs::canonical(paths[i], ec).string();
      auto text = ReadAll(paths[i]);
      if (!text) {
        errors[i] = "I/O error when reading " + paths[i].string();
        return;
      }
      auto doc = g::DataDocument::Load(name, std::move(*text));
      if (!doc.ok()) {
        errors[i] = doc.status().message();
        return;
      }
      g::EvalOptions o;
      o.data_file_name = name;
      auto ev = g::Evaluate(*compiled, doc->root(), o);
      if (!ev.ok()) {
        errors[i] = ev.status().message();
        return;
      }
      status[i] = ev->status();
      rep::FileReport fr;
      fr.name = std::move(name);
      fr.Combine(rep::BuildFileReport(*ev));
      // The element as ToJsonPretty indents it inside the list (JSON text has no raw newlines
      // inside strings, so indenting every line is exact).
      const std::string one = rep::ToJsonPretty(fr.ToOut());
      std::string& part = parts[i];
      part.reserve(one.size() + one.size() / 8);
      part += "  ";
      for (const char c : one) {
        part += c;
        if (c == '\n') part += "  ";
      }
    });
    for (const auto& e : errors)
      if (!e.empty()) {
        std::fprintf(stderr, "Error occurred %s\n", e.c_str());
        return 255;
      }
    int exit_code = 0;
    for (const auto st : status)
      if (st == g::EvalStatus::kFail) exit_code = 19;
    if (parts.empty()) {
      std::fputs("[]", stdout);
    } else {
      std::fputs("[\n", stdout);
      for (size_t i = 0; i < parts.size(); ++i) {
        std::fwrite(parts[i].data(), 1, parts[i].size(), stdout);
        std::fputs(i + 1 < parts.size() ? ",\n" : "\n]", stdout);
      }
    }
    std::fflush(stdout);
    if (phases)
      std::fprintf(stderr, "files %zu  total %.3f s (streamed)\n", paths.size(), Seconds(start));
    return exit_code;
  }
  std::vector<std::string> names(paths.size());
  std::vector<std::unique_ptr<g::DataDocument>> docs(paths.size());
  std::vector<std::string> errors(paths.size());
  ParallelFor(paths.size(), threads, [&](size_t i) {
    std::error_code ec;
    names[i] = fs::canonical(paths[i], ec).string();
    auto text = ReadAll(paths[i]);
    if (!text) {
      errors[i] = "I/O error when reading " + paths[i].string();
      return;
    }
    auto doc = g::DataDocument::Load(names[i], std::move(*text));
    if (!doc.ok()) {
      errors[i] = doc.status().message();
      return;
    }
    docs[i] = std::make_unique<g::DataDocument>(std::move(*doc));
  });
  for (const auto& e : errors)
    if (!e.empty()) {
      std::fprintf(stderr, "Error occurred %s\n", e.c_str());
      return 255;
    }
  const double load_s = Seconds(start);
  if (phases) std::fprintf(stderr, "after load: %s\n", Memory().c_str());

  const auto eval_start = std::chrono::steady_clock::now();
  std::vector<std::unique_ptr<g::Evaluation>> evals(paths.size());
  ParallelFor(paths.size(), threads, [&](size_t i) {
    g::EvalOptions o;
    o.data_file_name = names[i];
    o.record = !statuses;
    auto ev = g::Evaluate(*compiled, docs[i]->root(), o);
    if (!ev.ok()) {
      errors[i] = ev.status().message();
      return;
    }
    evals[i] = std::make_unique<g::Evaluation>(std::move(*ev));
  });
  for (const auto& e : errors)
    if (!e.empty()) {
      std::fprintf(stderr, "Error occurred %s\n", e.c_str());
      return 255;
    }
  const double eval_s = Seconds(eval_start);
  if (phases) std::fprintf(stderr, "after evaluation: %s\n", Memory().c_str());

  const auto out_start = std::chrono::steady_clock::now();
  int exit_code = 0;
  for (const auto& ev : evals)
    if (ev->status() == g::EvalStatus::kFail) exit_code = 19;
  std::string out;
  if (statuses) {
    for (size_t i = 0; i < evals.size(); ++i) {
      out += names[i];
      out += ' ';
      out += g::StatusName(evals[i]->status());
      out += '\n';
    }
  } else {
    rep::Out list = rep::Out::Array();
    for (size_t i = 0; i < evals.size(); ++i) {
      rep::FileReport fr;
      fr.name = names[i];
      fr.Combine(rep::BuildFileReport(*evals[i]));
      list.Push(fr.ToOut());
    }
    out = rep::ToJsonPretty(list);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  if (phases)
    std::fprintf(stderr, "files %zu  load %.3f s  evaluate %.3f s  report %.3f s  total %.3f s\n",
                 paths.size(), load_s, eval_s, Seconds(out_start), Seconds(start));
  return exit_code;
}
