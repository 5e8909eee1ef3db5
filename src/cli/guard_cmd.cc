// vigil guard validate | test | parse-tree: drop-in replacements for cfn-guard 3.1.1's commands
// of the same names (same flags, outputs and exit codes; see docs/guard.md).
//
// validate reads every data file first (an unreadable one stops the run, as in cfn-guard), then
// evaluates each rules file over the data files on several threads, printing the outputs in
// cfn-guard's order: an evaluation error stops the run after the outputs of the files before it.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/commands.h"
#include "guard/ast_json.h"
#include "guard/data.h"
#include "guard/eval.h"
#include "guard/parser.h"
#include "guard/report.h"
#include "guard/source.h"
#include "json/value.h"

namespace vigil::cli {
namespace {

namespace fs = std::filesystem;
namespace g = vigil::guard;
namespace rep = vigil::guard::report;

constexpr int kGuardPass = 0;
constexpr int kGuardFail = 19;
constexpr int kGuardParseError = 5;
constexpr int kGuardError = 255;  // cfn-guard's exit(-1)

void Write(std::FILE* f, std::string_view s) {
  if (!s.empty()) std::fwrite(s.data(), 1, s.size(), f);
}

// cfn-guard's Writer::write_err: the text and a newline on stderr.
void Err(std::string_view s) {
  Write(stderr, s);
  Write(stderr, "\n");
}

// The whole file, read with one read(2) when its size is known, into a string with room for the
// JSON parser's padding after it (so loading it copies nothing).
std::optional<std::string> ReadAll(const fs::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string text;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    const auto size = static_cast<size_t>(st.st_size);
    text.reserve(size + g::DataDocument::kPadding);
    text.resize(size);
    size_t got = 0;
    while (got < size) {
      const ssize_t n = ::read(fd, text.data() + got, size - got);
      if (n < 0) {
        ::close(fd);
        return std::nullopt;
      }
      if (n == 0) break;
      got += static_cast<size_t>(n);
    }
    text.resize(got);
  }
  char chunk[1 << 16];  // the rest: pipes, files that grew
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0) {
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    text.append(chunk, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
}

// VIGIL_TIMINGS=1: the time and peak memory after each phase of validate, on stderr.
void Phase(const char* what) {
  static const bool on = std::getenv("VIGIL_TIMINGS") != nullptr;
  if (!on) return;
  static const auto start = std::chrono::steady_clock::now();
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  long hwm_kb = 0;
  if (std::FILE* f = std::fopen("/proc/self/status", "r")) {
    char line[256];
    while (std::fgets(line, sizeof line, f))
      if (std::sscanf(line, "VmHWM: %ld", &hwm_kb) == 1) break;
    std::fclose(f);
  }
  std::fprintf(stderr, "vigil guard: %-12s %8.1f ms  peak %ld MB\n", what, ms, hwm_kb / 1024);
}

struct Stop {
  std::string message;  // printed after "Error occurred "
};

bool EndsWithAny(const std::string& name, std::initializer_list<const char*> exts) {
  for (const char* e : exts) {
    const size_t n = std::strlen(e);
    if (name.size() >= n && name.compare(name.size() - n, n, e) == 0) return true;
  }
  return false;
}

const std::initializer_list<const char*> kDataExtensions = {".yaml", ".yml", ".json", ".jsn",
                                                            ".template"};
const std::initializer_list<const char*> kRuleExtensions = {".guard", ".ruleset"};

// A walked path and its type, not following a symbolic link (from the directory listing, so
// no system call per file).
struct Walked {
  fs::path path;
  fs::file_type type = fs::file_type::none;
};

// walkdir::WalkDir::new(base).sort_by(cmp): the base, then depth first, siblings sorted by file
// name (or modification time, stable), symbolic links not followed into.
void Walk(const fs::path& base, bool by_mtime, std::vector<Walked>& out,
          fs::file_type base_type = fs::file_type::none) {
  std::error_code ec;
  if (base_type == fs::file_type::none) base_type = fs::symlink_status(base, ec).type();
  out.push_back({base, base_type});
  if (base_type != fs::file_type::directory) return;
  struct Entry {
    fs::path path;
    std::string name;
    fs::file_type type;
  };
  std::vector<Entry> entries;
  for (const auto& e : fs::directory_iterator(base, ec)) {
    // The listing's own type (d_type): is_symlink/is_directory/is_regular_file use it without
    // a system call unless the entry is a symbolic link.
    fs::file_type type = fs::file_type::unknown;
    std::error_code tec;
    if (e.is_symlink(tec)) {
      type = fs::file_type::symlink;
    } else if (e.is_directory(tec)) {
      type = fs::file_type::directory;
    } else if (e.is_regular_file(tec)) {
      type = fs::file_type::regular;
    } else {
      type = e.symlink_status(tec).type();
    }
    entries.push_back({e.path(), e.path().filename().native(), type});
  }
  if (by_mtime) {
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      std::error_code e1, e2;
      const auto ta = fs::last_write_time(a.path, e1);
      const auto tb = fs::last_write_time(b.path, e2);
      if (e1 || e2) return false;
      return ta < tb;
    });
  } else {
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& a, const Entry& b) { return a.name < b.name; });
  }
  for (const auto& e : entries) Walk(e.path, by_mtime, out, e.type);
}

bool IsFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}
bool IsFile(const Walked& w) {
  if (w.type == fs::file_type::regular) return true;
  return w.type == fs::file_type::symlink && IsFile(w.path);
}

// fs::canonical(w.path) as cfn-guard names data files, without resolving every path component
// of every file: a walked regular file's name is its directory's canonical path (one lookup per
// directory) and its file name. Empty when the path cannot be resolved.
class CanonicalNames {
 public:
  std::string Of(const Walked& w) {
    std::error_code ec;
    if (w.type != fs::file_type::regular || !w.path.has_filename())
      return fs::canonical(w.path, ec).string();
    const fs::path dir = w.path.parent_path();
    auto it = dirs_.find(dir);
    if (it == dirs_.end()) {
      const fs::path c = fs::canonical(dir.empty() ? fs::path(".") : dir, ec);
      it = dirs_.emplace(dir, ec ? std::string() : c.string()).first;
    }
    if (it->second.empty()) return fs::canonical(w.path, ec).string();
    std::string name = it->second;
    if (name.back() != '/') name += '/';
    name += w.path.filename().native();
    return name;
  }

 private:
  std::map<fs::path, std::string> dirs_;
};

// Runs fn(i) for i in [0, n) on up to hardware_concurrency threads.
void ParallelFor(size_t n, const std::function<void(size_t)>& fn) {
  const size_t threads = std::min<size_t>(n, std::max(1u, std::thread::hardware_concurrency()));
  if (threads <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (size_t t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (size_t i = next++; i < n; i = next++) fn(i);
    });
  for (auto& t : pool) t.join();
}

struct DataFile {
  std::string name;
  std::shared_ptr<g::DataDocument> doc;     // as read
  std::shared_ptr<g::DataDocument> merged;  // with the input parameters, when there are some
  const g::DataDocument& Root() const { return merged ? *merged : *doc; }
};

struct RulesInput {
  std::string name;
  std::string text;
};

struct ParsedRules {
  std::string name;
  std::unique_ptr<g::Source> source;
  std::unique_ptr<g::RulesFile> file;
  std::unique_ptr<g::CompiledRules> compiled;
};

struct ValidateArgs {
  std::vector<std::string> rules, data, input_params;
  std::string type;
  std::string output_format = "single-line-summary";
  std::vector<std::string> show_summary;
  bool alphabetical = false, last_modified = false, verbose = false, print_json = false,
       payload = false, structured = false;
};

rep::Format FormatOf(const std::string& s) {
  if (s == "json") return rep::Format::kJson;
  if (s == "yaml") return rep::Format::kYaml;
  if (s == "junit") return rep::Format::kJunit;
  if (s == "sarif") return rep::Format::kSarif;
  return rep::Format::kSingleLineSummary;
}

std::string StdinText() {
  std::stringstream ss;
  ss << std::cin.rdbuf();
  return ss.str();
}

g::DataDocument LoadOrStop(std::string name, std::string text) {
  auto doc = g::DataDocument::Load(std::move(name), std::move(text));
  if (!doc.ok()) throw Stop{doc.status().message()};
  return std::move(*doc);
}

// Parses a rules file; on a syntax error prints cfn-guard's message (or appends it to `held`,
// to be printed later) and returns null.
std::unique_ptr<ParsedRules> ParseRules(const RulesInput& in, bool& parse_error,
                                        std::string* held = nullptr) {
  auto p = std::make_unique<ParsedRules>();
  p->name = in.name;
  p->source = std::make_unique<g::Source>(in.name, in.text);
  auto file = g::Parse(*p->source);
  if (!file.ok()) {
    std::string msg = file.status().message();
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    const std::string text =
        fmt::format("Parsing error handling rule file = {}, Error = {}\n---", in.name, msg);
    if (held) {
      *held += text;
      *held += '\n';
    } else {
      Err(text);
    }
    parse_error = true;
    return nullptr;
  }
  if (file->empty) return nullptr;
  p->file = std::make_unique<g::RulesFile>(std::move(*file));
  auto compiled = g::CompiledRules::Compile(*p->file, in.name);
  if (!compiled.ok()) throw Stop{compiled.status().message()};
  p->compiled = std::make_unique<g::CompiledRules>(std::move(*compiled));
  return p;
}

unsigned ShowMask(const std::vector<std::string>& values) {
  unsigned mask = 0;
  for (const auto& v : values) {
    if (v == "none") return 0;
    if (v == "all") mask |= rep::kShowPass | rep::kShowFail | rep::kShowSkip;
    if (v == "pass") mask |= rep::kShowPass;
    if (v == "fail") mask |= rep::kShowFail;
    if (v == "skip") mask |= rep::kShowSkip;
  }
  return mask;
}

// Evaluates without the record tree first (statuses do not need it) and again with it when
// the file failed and the output shows failures: most files pass, and the tree costs more than
// the evaluation. `failures_only`: the output reads only what failed (the structured reports);
// then a large document (many resources, so almost surely one failing) is evaluated once, with
// the tree of its failures.
Result<g::Evaluation> EvaluateFor(const g::CompiledRules& rules, const g::Node& root,
                                  const std::string& name, bool always_record, bool record_failures,
                                  bool failures_only = false, size_t document_bytes = 0) {
  g::EvalOptions o;
  o.data_file_name = name;
  o.record = always_record;
  constexpr size_t kLargeDocument = size_t{256} << 10;
  if (failures_only && record_failures && document_bytes > kLargeDocument) {
    o.record = true;
    o.failures_only = true;
    return g::Evaluate(rules, root, o);
  }
  auto ev = g::Evaluate(rules, root, o);
  if (!ev.ok() || always_record || !record_failures || ev->status() != g::EvalStatus::kFail)
    return ev;
  o.record = true;
  o.failures_only = failures_only;
  return g::Evaluate(rules, root, o);
}

struct FileOutcome {
  std::string out;
  std::optional<std::string> error;
  g::EvalStatus status = g::EvalStatus::kSkip;
  std::shared_ptr<g::Evaluation> ev;
};

// Where the structured report waits until every data file has been read: an unlinked temporary
// file (memory when none can be made), copied to stdout at the end.
class Spool {
 public:
  Spool() { sink.file = std::tmpfile(); }
  ~Spool() {
    if (sink.file) std::fclose(sink.file);
  }
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  rep::JsonSink sink;

  void CopyTo(std::FILE* out) {
    if (sink.file) {
      sink.Flush();
      std::fflush(sink.file);
      std::rewind(sink.file);
      std::vector<char> chunk(size_t{1} << 20);
      for (size_t n; (n = std::fread(chunk.data(), 1, chunk.size(), sink.file)) > 0;)
        std::fwrite(chunk.data(), 1, n, out);
    } else {
      Write(out, sink.buf);
      sink.buf.clear();
    }
    std::fflush(out);
  }
};

// `validate --structured -o json` over data files, one batch of files at a time on all cores:
// each file is read, loaded, evaluated against every rules file and reported, then dropped, so
// memory holds a batch of documents, not all of them. Errors come out as cfn-guard gives them:
// an unreadable or unparsable data file first (it reads them all before anything else), then
// `pre_error` (input parameters, a rules file that cannot be read), then the held parse errors
// of rules files, then the first evaluation error.
int StreamStructuredJson(const std::vector<fs::path>& paths, const std::vector<DataFile>& files,
                         const g::DataDocument* params, const std::vector<RulesInput>& rules,
                         std::optional<std::string> pre_error) {
  bool parse_error = false;
  std::string held;  // parse errors, printed once the data has loaded
  std::vector<std::unique_ptr<ParsedRules>> parsed;
  std::optional<std::string> eval_error;
  if (!pre_error) {
    for (const auto& r : rules) {
      try {
        auto p = ParseRules(r, parse_error, &held);
        if (p) parsed.push_back(std::move(p));
      } catch (const Stop& stop) {
        eval_error = stop.message;
        break;
      }
    }
  }
  std::optional<std::string> data_error;
  bool failed = false;
  Spool spool;
  spool.sink.buf += '[';
  constexpr size_t kBatch = 512;
  std::vector<rep::JsonSink> texts(kBatch);
  std::vector<std::optional<std::string>> load_errors(kBatch), eval_errors(kBatch);
  std::vector<char> fails(kBatch);
  for (size_t base = 0; base < paths.size() && !data_error; base += kBatch) {
    const size_t m = std::min(kBatch, paths.size() - base);
    const bool evaluate = !pre_error && !eval_error;
    ParallelFor(m, [&](size_t k) {
      const size_t j = base + k;
      // A batch of one file (a snapshot) writes its report straight into the spool.
      rep::JsonSink& out = m == 1 ? spool.sink : texts[k];
      texts[k].buf.clear();
      load_errors[k].reset();
      eval_errors[k].reset();
      fails[k] = 0;
      auto text = ReadAll(paths[j]);
      if (!text) {
        load_errors[k] = fmt::format("I/O error when reading {}", paths[j].string());
        return;
      }
      auto doc = g::DataDocument::Load(files[j].name, std::move(*text));
      if (!doc.ok()) {
        load_errors[k] = doc.status().message();
        return;
      }
      if (m == 1) Phase("loaded");
      if (!evaluate) return;
      std::optional<g::DataDocument> merged;
      if (params) {
        auto m2 = g::DataDocument::Merge(*params, *doc);
        if (!m2.ok()) {
          eval_errors[k] = m2.status().message();
          return;
        }
        merged.emplace(std::move(*m2));
      }
      const g::Node& root = merged ? merged->root() : doc->root();
      std::vector<g::Evaluation> evals;
      for (const auto& p : parsed) {
        auto ev = EvaluateFor(*p->compiled, root, files[j].name, /*always_record=*/false,
                              /*record_failures=*/true, /*failures_only=*/true, doc->text().size());
        if (!ev.ok()) {
          eval_errors[k] = ev.status().message();
          return;
        }
        if (ev->status() == g::EvalStatus::kFail) fails[k] = 1;
        evals.push_back(std::move(*ev));
      }
      if (m == 1) Phase("evaluated");
      rep::FileReport fr;
      fr.name = files[j].name;
      for (const auto& ev : evals) fr.Combine(rep::BuildFileReport(ev, files[j].name));
      if (m == 1) Phase("report built");
      out.buf += j ? ",\n  " : "\n  ";
      rep::AppendJsonPretty(out, fr.TakeOut(), 1);
    });
    for (size_t k = 0; k < m; ++k) {
      if (load_errors[k]) {
        data_error = load_errors[k];
        break;
      }
      if (eval_errors[k] && !eval_error) eval_error = eval_errors[k];
      if (fails[k]) failed = true;
      if (m > 1 && !eval_error) {
        spool.sink.buf += texts[k].buf;
        spool.sink.MaybeFlush();
      }
    }
  }
  Phase("all files");
  if (data_error) throw Stop{*data_error};
  if (pre_error) throw Stop{*pre_error};
  if (!held.empty()) Write(stderr, held);
  if (eval_error) throw Stop{*eval_error};
  spool.sink.buf += paths.empty() ? "]" : "\n]";
  spool.CopyTo(stdout);
  Phase("reported");
  if (failed) return kGuardFail;
  return parse_error ? kGuardParseError : kGuardPass;
}

int Validate(const ValidateArgs& a) {
  const unsigned show =
      ShowMask(a.show_summary.empty() ? std::vector<std::string>{"fail"} : a.show_summary);
  const rep::Format format = FormatOf(a.output_format);
  if (a.structured && show != 0)
    throw Stop{
        "Cannot provide a summary-type other than `none` when the `structured` flag is present"};
  if (a.structured && format == rep::Format::kSingleLineSummary)
    throw Stop{"single-line-summary is not able to be used when the `structured` flag is present"};
  if (format == rep::Format::kJunit && !a.structured)
    throw Stop{"the structured flag must be set when output is set to junit"};
  if (format == rep::Format::kSarif && !a.structured)
    throw Stop{"the structured flag must be set when output is set to sarif"};

  Phase("start");
  // `--structured -o json` over files streams: each data file is read, evaluated and reported
  // on its own, and the report is spooled until every file has been read (cfn-guard reads them
  // all before it evaluates anything, so an unreadable file still prints nothing but its error).
  const bool stream = a.structured && format == rep::Format::kJson && !a.payload && !a.data.empty();
  // Data files, read in walk order (all of them before any rule runs, as cfn-guard does).
  std::vector<DataFile> data;
  std::vector<fs::path> data_paths;
  CanonicalNames canonical;
  for (const auto& arg : a.data) {
    if (!fs::exists(arg)) throw Stop{fmt::format("The path `{}` does not exist", arg)};
    std::vector<Walked> walked;
    Walk(arg, a.last_modified, walked);
    for (const auto& w : walked) {
      if (!IsFile(w)) continue;
      const std::string name = canonical.Of(w);
      if (!EndsWithAny(name, kDataExtensions)) continue;
      data_paths.push_back(w.path);
      data.push_back({name, nullptr, nullptr});
    }
  }
  if (a.data.empty() && !a.rules.empty()) {
    data.push_back(
        {"STDIN", std::make_shared<g::DataDocument>(LoadOrStop("STDIN", StdinText())), nullptr});
  }
  if (!stream) {
    std::vector<std::optional<std::string>> errors(data_paths.size());
    ParallelFor(data_paths.size(), [&](size_t i) {
      auto text = ReadAll(data_paths[i]);
      if (!text) {
        errors[i] = fmt::format("I/O error when reading {}", data_paths[i].string());
        return;
      }
      auto doc = g::DataDocument::Load(data[i].name, std::move(*text));
      if (!doc.ok()) {
        errors[i] = doc.status().message();
        return;
      }
      data[i].doc = std::make_shared<g::DataDocument>(std::move(*doc));
    });
    for (auto& e : errors)
      if (e) throw Stop{*e};
  }
  Phase("data");

  // Input parameters: merged in walk order, then merged under each data file.
  std::vector<std::shared_ptr<g::DataDocument>> params;
  std::vector<RulesInput> rules;
  std::optional<std::string> pre_error;  // streaming: an error to give once the data has loaded
  try {
    for (const auto& arg : a.input_params) {
      if (!fs::exists(arg)) throw Stop{fmt::format("The path `{}` does not exist", arg)};
      std::vector<Walked> walked;
      Walk(arg, a.last_modified, walked);
      for (const auto& w : walked) {
        if (!IsFile(w)) continue;
        const fs::path& p = w.path;
        const std::string name = p.filename().string();
        if (!EndsWithAny(name, kDataExtensions)) continue;
        auto text = ReadAll(p);
        if (!text) throw Stop{fmt::format("I/O error when reading {}", p.string())};
        auto doc = std::make_shared<g::DataDocument>(LoadOrStop(name, std::move(*text)));
        if (!params.empty()) {
          auto merged = g::DataDocument::Merge(*params.back(), *doc);
          if (!merged.ok()) throw Stop{merged.status().message()};
          params.push_back(doc);
          params.push_back(std::make_shared<g::DataDocument>(std::move(*merged)));
        } else {
          params.push_back(doc);
        }
      }
    }

    // Rules files.
    if (!a.rules.empty()) {
      for (const auto& arg : a.rules) {
        if (!fs::exists(arg)) throw Stop{fmt::format("The path `{}` does not exist", arg)};
        if (IsFile(arg)) {
          rules.push_back({fs::path(arg).filename().string(), ""});
          rules.back().text = ReadAll(arg).value_or("");
          continue;
        }
        std::vector<Walked> walked;
        Walk(arg, a.last_modified, walked);
        for (const auto& w : walked) {
          const fs::path& p = w.path;
          if (!IsFile(w) || !EndsWithAny(p.filename().string(), kRuleExtensions)) continue;
          auto text = ReadAll(p);
          if (!text) throw Stop{fmt::format("I/O error when reading {}", p.string())};
          rules.push_back({p.filename().string(), std::move(*text)});
        }
      }
    } else if (a.payload) {
      auto payload = json::Document::Parse(StdinText());
      if (!payload.ok())
        throw Stop{"Parser Error when parsing `" + payload.status().message() + "`"};
      const json::Value root = payload->Root();
      const json::Value r = root.Get("rules"), d = root.Get("data");
      if (!r.IsArray() || !d.IsArray())
        throw Stop{"Parser Error when parsing `missing field `rules` or `data``"};
      size_t i = 0;
      for (const json::Value v : d.Elements()) {
        const std::string name = fmt::format("DATA_STDIN[{}]", ++i);
        data.push_back({name,
                        std::make_shared<g::DataDocument>(
                            LoadOrStop(name, std::string(v.String().value_or("")))),
                        nullptr});
      }
      i = 0;
      for (const json::Value v : r.Elements())
        rules.push_back(
            {fmt::format("RULES_STDIN[{}]", ++i), std::string(v.String().value_or(""))});
    }

  } catch (const Stop& stop) {
    if (!stream) throw;
    pre_error = stop.message;
  }

  // cfn-guard merges the parameters into the data (in the payload case, only when structured).
  const bool use_params = !params.empty() && (!a.payload || a.structured);
  if (use_params && !stream) {
    for (auto& d : data) {
      auto merged = g::DataDocument::Merge(*params.back(), *d.doc);
      if (!merged.ok()) throw Stop{merged.status().message()};
      d.merged = std::make_shared<g::DataDocument>(std::move(*merged));
    }
  }

  if (stream)
    return StreamStructuredJson(data_paths, data, params.empty() ? nullptr : params.back().get(),
                                rules, std::move(pre_error));

  int exit_code = kGuardPass;
  if (a.structured) {
    bool parse_error = false;
    std::vector<std::unique_ptr<ParsedRules>> parsed;
    for (const auto& r : rules) {
      auto p = ParseRules(r, parse_error);
      if (p) parsed.push_back(std::move(p));
    }
    if (parse_error) exit_code = kGuardParseError;
    // evals[i][j]: rules file i over data file j.
    std::vector<std::vector<std::shared_ptr<g::Evaluation>>> evals(
        parsed.size(), std::vector<std::shared_ptr<g::Evaluation>>(data.size()));
    std::vector<std::optional<std::string>> errors(data.size());
    ParallelFor(data.size(), [&](size_t j) {
      for (size_t i = 0; i < parsed.size(); ++i) {
        auto ev = EvaluateFor(*parsed[i]->compiled, data[j].Root().root(), data[j].name,
                              /*always_record=*/false, /*record_failures=*/true,
                              /*failures_only=*/true);
        if (!ev.ok()) {
          errors[j] = ev.status().message();
          return;
        }
        evals[i][j] = std::make_shared<g::Evaluation>(std::move(*ev));
      }
    });
    for (auto& e : errors)
      if (e) throw Stop{*e};
    Phase("evaluated");
    for (const auto& row : evals)
      for (const auto& ev : row)
        if (ev->status() == g::EvalStatus::kFail) exit_code = kGuardFail;
    if (format == rep::Format::kJunit) {
      std::vector<std::string> rules_names, data_names;
      std::vector<std::vector<const g::Evaluation*>> raw(parsed.size());
      for (const auto& p : parsed) rules_names.push_back(p->name);
      for (const auto& d : data) data_names.push_back(d.name);
      for (size_t i = 0; i < parsed.size(); ++i)
        for (const auto& ev : evals[i]) raw[i].push_back(ev.get());
      Write(stdout, rep::JunitReport(rules_names, data_names, raw));
      return exit_code;
    }
    auto report_of = [&](size_t j) {
      rep::FileReport fr;
      fr.name = data[j].name;
      for (size_t i = 0; i < parsed.size(); ++i)
        fr.Combine(rep::BuildFileReport(*evals[i][j], data[j].name));
      return fr;
    };
    if (format == rep::Format::kJson) {
      // serde_json's pretty list, one report at a time, straight to stdout.
      rep::JsonSink sink;
      sink.file = stdout;
      sink.buf += '[';
      for (size_t j = 0; j < data.size(); ++j) {
        sink.buf += j ? ",\n  " : "\n  ";
        rep::AppendJsonPretty(sink, report_of(j).TakeOut(), 1);
        sink.MaybeFlush();
      }
      sink.buf += data.empty() ? "]" : "\n]";
      sink.Flush();
      Phase("reported");
      return exit_code;
    }
    std::vector<rep::FileReport> reports;
    for (size_t j = 0; j < data.size(); ++j) reports.push_back(report_of(j));
    if (format == rep::Format::kSarif) {
      Write(stdout, rep::SarifReport(reports));
      return exit_code;
    }
    rep::Out list = rep::Out::Array();
    for (auto& r : reports) list.Push(r.TakeOut());
    Write(stdout, rep::ToYaml(list));
    return exit_code;
  }

  for (const auto& r : rules) {
    bool parse_error = false;
    auto parsed = ParseRules(r, parse_error);
    if (parse_error) {
      exit_code = kGuardParseError;
      continue;
    }
    if (!parsed) continue;
    std::vector<FileOutcome> outcomes(data.size());
    ParallelFor(data.size(), [&](size_t j) {
      FileOutcome& fo = outcomes[j];
      const g::Node& root = data[j].Root().root();
      // A template's (or Terraform plan's) single-line report lists its failures whatever -S
      // says; other data shows them only with the failed-rules summary.
      const bool template_like =
          root.IsMap() && (root.Find("Resources") || root.Find("resource_changes"));
      const bool shows_failures = format != rep::Format::kSingleLineSummary ||
                                  (show & rep::kShowFail) != 0 || template_like;
      auto ev = EvaluateFor(*parsed->compiled, root, data[j].name, a.print_json, shows_failures);
      if (!ev.ok()) {
        fo.error = ev.status().message();
        return;
      }
      fo.status = ev->status();
      fo.out = rep::SummaryTable(*ev, parsed->name, data[j].name, show);
      fo.out += rep::FileDetails(*ev, root, data[j].doc->text(), parsed->name, data[j].name, format,
                                 show);
      if (a.print_json) {
        fo.out += ev->RecordTreeJson();
        fo.out += '\n';
      }
    });
    bool failed = false;
    for (const auto& fo : outcomes) {
      if (fo.error) {
        std::fflush(stdout);
        throw Stop{*fo.error};
      }
      Write(stdout, fo.out);
      if (fo.status == g::EvalStatus::kFail) failed = true;
    }
    if (failed) exit_code = kGuardFail;
  }
  return exit_code;
}

struct TestArgs {
  std::string rules_file, test_data, dir, output_format = "single-line-summary";
  bool alphabetical = false, last_modified = false, verbose = false;
};

int Test(const TestArgs& a) {
  rep::UnitTestOptions o;
  o.rules_file = a.rules_file;
  o.test_data = a.test_data;
  o.dir = a.dir;
  o.last_modified = a.last_modified;
  o.verbose = a.verbose;
  o.output_format = a.output_format;
  rep::UnitTestOutput out = rep::RunUnitTests(o);
  Write(stdout, out.out);
  Write(stderr, out.err);
  return out.exit_code;
}

struct ParseTreeArgs {
  std::string rules, output;
  bool print_json = false, print_yaml = false;
};

int ParseTree(const ParseTreeArgs& a) {
  std::string text;
  std::string name = "STDIN";
  if (a.rules.empty()) {
    text = StdinText();
  } else {
    auto t = ReadAll(a.rules);
    if (!t) throw Stop{fmt::format("I/O error when reading {}", a.rules)};
    text = std::move(*t);
    name = fs::path(a.rules).filename().string();
  }
  const g::Source src(name, text);
  auto file = g::Parse(src);
  if (!file.ok()) throw Stop{"Parser Error when parsing `" + file.status().message() + "`"};
  std::string out = g::DumpCfnGuardJson(*file, src);
  if (!a.print_json) {
    auto doc = json::Document::Parse(out);
    if (doc.ok()) out = rep::ToYaml(rep::OutFromJson(doc->Root()));
  } else {
    out += '\n';
  }
  if (!a.output.empty()) {
    std::ofstream f(a.output, std::ios::binary);
    f << out;
  } else {
    Write(stdout, out);
  }
  return 0;
}

template <typename F>
int Guarded(F&& f) {
  try {
    return f();
  } catch (const Stop& s) {
    std::fflush(stdout);
    Err("Error occurred " + s.message);
    return kGuardError;
  }
}

}  // namespace

void AddGuard(CLI::App& app, int& exit_code) {
  CLI::App* guard = app.add_subcommand("guard",
                                       "cfn-guard 3.1.1's validate, test and parse-tree commands, "
                                       "same flags, outputs and exit codes");
  guard->require_subcommand(1);

  auto va = std::make_shared<ValidateArgs>();
  CLI::App* v = guard->add_subcommand(
      "validate",
      "Evaluates rules against the data files to determine success or failure (as `cfn-guard "
      "validate`).\nExit codes: 0 no rule failed, 19 a rule failed, 5 a rules file did not parse, "
      "255 an error stopped the run (cfn-guard's -1).\nvigil evaluates data files on several "
      "threads; outputs keep cfn-guard's order.");
  auto* rules_opt =
      v->add_option("-r,--rules", va->rules,
                    "Provide a rules file or a directory of rules files (repeatable). "
                    "Directories are scanned for .guard and .ruleset files");
  v->add_option("-d,--data", va->data,
                "Provide a data file or directory of data files in JSON or YAML (repeatable). "
                "Directories are scanned for .yaml, .yml, .json, .jsn and .template files");
  v->add_option("-i,--input-params", va->input_params,
                "Data files or directories of parameters merged into every data file (repeatable; "
                "keys must not overlap)");
  v->add_option("-t,--type", va->type,
                "Specify the type of data file used for improved messaging (CFNTemplate; ignored, "
                "as in cfn-guard 3.x)")
      ->check(CLI::IsMember({"CFNTemplate"}));
  v->add_option("-o,--output-format", va->output_format,
                "Output format [default: single-line-summary]")
      ->check(CLI::IsMember({"single-line-summary", "json", "yaml", "junit", "sarif"}));
  v->add_option("-S,--show-summary", va->show_summary,
                "Summary table: all, pass, fail, skip, none; comma-separated [default: fail]")
      ->delimiter(',')
      ->check(CLI::IsMember({"all", "pass", "fail", "skip", "none"}));
  auto* alpha = v->add_flag("-a,--alphabetical", va->alphabetical,
                            "Validate files in a directory ordered alphabetically");
  auto* lm = v->add_flag("-m,--last-modified", va->last_modified,
                         "Validate files in a directory ordered by last modified times");
  alpha->excludes(lm);
  auto* verbose = v->add_flag("-v,--verbose", va->verbose,
                              "Verbose logging (accepted; vigil does not print cfn-guard's debug "
                              "tree)");
  auto* pj = v->add_flag("-p,--print-json", va->print_json,
                         "Print the evaluation tree in JSON after each file's report");
  auto* payload = v->add_flag(
      "-P,--payload", va->payload,
      "Read {\"rules\":[\"<rules>\",...],\"data\":[\"<data>\",...]} from standard input "
      "instead of -r/-d");
  auto* structured = v->add_flag("-z,--structured", va->structured,
                                 "Print one structured JSON/YAML/JUnit/SARIF document for the run "
                                 "(requires -o json|yaml|junit|sarif and -S none)");
  payload->excludes(rules_opt);
  structured->excludes(pj)->excludes(verbose);
  v->callback([va, rules_opt, payload, &exit_code] {
    if (rules_opt->count() == 0 && payload->count() == 0)
      throw CLI::RequiredError("one of --rules or --payload");
    exit_code = Guarded([&] { return Validate(*va); });
  });

  auto ta = std::make_shared<TestArgs>();
  CLI::App* t = guard->add_subcommand(
      "test",
      "Runs Guard unit tests (YAML or JSON) against a rules file (as `cfn-guard test`).\nExit "
      "codes: 0 every expectation met, 7 one was not, 1 a rules file did not parse, 255 error.");
  auto* trf = t->add_option("-r,--rules-file", ta->rules_file, "Provide a rules file");
  auto* ttd = t->add_option("-t,--test-data", ta->test_data,
                            "Provide a file or dir for data files in JSON or YAML");
  auto* tdir = t->add_option("-d,--dir", ta->dir, "Provide the root directory for rules");
  tdir->excludes(trf)->excludes(ttd);
  auto* talpha =
      t->add_flag("-a,--alphabetical", ta->alphabetical, "Sort alphabetically inside a directory");
  auto* tlm = t->add_flag("-m,--last-modified", ta->last_modified,
                          "Sort by last modified times within a directory");
  talpha->excludes(tlm);
  t->add_flag("-v,--verbose", ta->verbose, "Verbose logging");
  t->add_option("-o,--output-format", ta->output_format,
                "Output format [default: single-line-summary]")
      ->check(CLI::IsMember({"single-line-summary", "json", "yaml", "junit", "sarif"}));
  t->callback([ta, &exit_code] { exit_code = Guarded([&] { return Test(*ta); }); });

  auto pa = std::make_shared<ParseTreeArgs>();
  CLI::App* pt = guard->add_subcommand(
      "parse-tree",
      "Prints out the parse tree for the rules defined in the file (as `cfn-guard "
      "parse-tree`; YAML by default, JSON with -p)");
  pt->add_option("-r,--rules", pa->rules, "Provide a rules file (standard input when absent)");
  pt->add_option("-o,--output", pa->output, "Write to output file");
  pt->add_flag("-p,--print-json", pa->print_json, "Print output in JSON format");
  pt->add_flag("-y,--print-yaml", pa->print_yaml, "Print output in YAML format");
  pt->callback([pa, &exit_code] { exit_code = Guarded([&] { return ParseTree(*pa); }); });
}

}  // namespace vigil::cli
