// vigil evaluate: read configuration items and account facts, evaluate the rules, print the
// report (and optionally keep everything in a SQLite store).
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "cli/commands.h"
#include "common/log.h"
#include "engine/engine.h"
#include "ingest/input.h"
#include "json/value.h"
#include "json/yaml.h"
#include "model/external_evaluation.h"
#include "pack/pack.h"
#include "report/report.h"
#include "store/sqlite_store.h"

namespace vigil::cli {
namespace {

struct EvaluateOptions {
  std::vector<std::string> rule_files;
  std::vector<std::string> packs;
  std::vector<std::string> pack_params;  // K=V
  std::vector<std::string> external_files;
  std::vector<std::string> inputs;
  std::string accounts_file;
  std::string organization;
  std::string framework;
  std::string format = "text";
  std::string output;
  std::string db;
  unsigned jobs = 0;
  bool quiet = false;
  bool fail_on_non_compliant = false;
};

// Reads a JSON or YAML file (YAML by its extension) into a document; errors name the file.
Result<json::Document> ReadJsonOrYaml(const std::string& path) {
  auto text = ingest::ReadInput(path);
  if (!text.ok()) return text.status();
  std::string json_text = std::move(text).value();
  if (path.ends_with(".yaml") || path.ends_with(".yml")) {
    auto converted = json::YamlToJson(json_text);
    if (!converted.ok()) return Status::Error(path + ": " + converted.status().message());
    json_text = std::move(converted).value();
  }
  auto doc = json::Document::Parse(json_text);
  if (!doc.ok()) return Status::Error(path + ": " + doc.status().message());
  return doc;
}

// Loads rules from JSON or YAML files.
std::vector<model::ConfigRule> LoadRules(const std::vector<std::string>& files,
                                         std::vector<std::string>& errors) {
  std::vector<model::ConfigRule> out;
  for (const auto& f : files) {
    auto doc = ReadJsonOrYaml(f);
    if (!doc.ok()) {
      errors.push_back(doc.status().message());
      continue;
    }
    auto rules = model::ParseConfigRules(doc->Root(), f, errors);
    for (auto& r : rules) out.push_back(std::move(r));
  }
  return out;
}

// Loads the --pack templates with the --pack-param overrides and appends their rules to
// `configs`. A rule whose name is already taken (by --rules or an earlier pack) gets the pack's
// name appended, as AWS makes pack rule names unique. False on a usage error (a bad --pack-param,
// a parameter no pack declares); a pack that fails to load is reported and skipped.
bool LoadPacks(const EvaluateOptions& o, std::vector<model::ConfigRule>& configs,
               std::vector<std::pair<pack::Pack, std::vector<std::string>>>& packs,
               std::vector<std::string>& errors) {
  pack::LoadOptions options;
  if (Status st = pack::ParseOverrides(o.pack_params, options.overrides); !st.ok()) {
    errors.push_back(st.message());
    return false;
  }
  std::set<std::string> names;
  for (const auto& c : configs) names.insert(c.name);
  std::set<std::string> declared;
  bool any_loaded = false;
  for (const auto& arg : o.packs) {
    auto p = pack::LoadPackArg(arg, options);
    if (!p.ok()) {
      errors.push_back("conformance pack '" + arg + "' not loaded:\n" + p.status().message());
      continue;
    }
    any_loaded = true;
    for (const auto& w : p->warnings) log::Warn(w);
    for (const auto& d : p->parameters) declared.insert(d);
    std::vector<std::string> rule_names;
    for (auto& r : p->rules) {
      model::ConfigRule c = r.rule;
      if (!names.insert(c.name).second) {
        c.name += "-" + p->name;
        names.insert(c.name);
      }
      rule_names.push_back(c.name);
      configs.push_back(std::move(c));
    }
    packs.emplace_back(std::move(p).value(), std::move(rule_names));
  }
  if (any_loaded || o.packs.empty()) {
    for (const auto& [k, v] : options.overrides)
      if (!declared.count(k)) {
        errors.push_back("--pack-param " + k + ": no conformance pack given declares parameter '" +
                         k + "' (see `vigil packs show PACK`)");
        return false;
      }
  }
  return true;
}

class Progress {
 public:
  explicit Progress(size_t total, bool enabled) : total_(total), enabled_(enabled && isatty(2)) {}
  void Tick(std::uint64_t items) {
    const size_t done = ++done_;
    items_ += items;
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mu_);
    if (now - last_ < std::chrono::milliseconds(200) && done != total_) return;
    last_ = now;
    std::fprintf(stderr, "\rvigil: read %zu/%zu files, %llu configuration items", done, total_,
                 static_cast<unsigned long long>(items_.load()));
    if (done == total_) std::fputc('\n', stderr);
  }

 private:
  size_t total_;
  bool enabled_;
  std::atomic<size_t> done_{0};
  std::atomic<std::uint64_t> items_{0};
  std::mutex mu_;
  std::chrono::steady_clock::time_point last_{};
};

int RunEvaluate(const EvaluateOptions& o) {
  const auto t_begin = std::chrono::steady_clock::now();
  log::SetQuiet(o.quiet);
  auto format = report::ParseFormat(o.format);
  if (!format.ok()) {
    log::Error(format.status().message());
    return kExitUsage;
  }
  std::vector<std::string> errors;
  auto configs = LoadRules(o.rule_files, errors);
  std::vector<std::pair<pack::Pack, std::vector<std::string>>> packs;  // pack, its rule names
  if (!LoadPacks(o, configs, packs, errors)) {
    for (const auto& e : errors) log::Error(e);
    return kExitUsage;
  }
  auto rules = engine::ResolveRules(std::move(configs), errors);
  for (const auto& e : errors) log::Error(e);
  if (rules.empty()) {
    log::Error(
        "no usable rules: give --rules FILE with AWS ConfigRule objects "
        "(what `aws configservice put-config-rule --config-rule` takes) or --pack NAME "
        "(see `vigil packs list`)");
    return kExitUsage;
  }
  for (const auto& r : rules)
    if (!r.note.empty()) log::Warn("rule '" + r.config.name + "' is not evaluated: " + r.note);
  bool input_errors = !errors.empty();

  std::vector<std::string> walk_errors;
  auto files = ingest::CollectInputs(o.inputs, walk_errors);
  for (const auto& e : walk_errors) log::Error(e);
  input_errors |= !walk_errors.empty();

  // Facts first (every rule may read them), on all cores: organisations have thousands.
  model::FactStore facts;
  std::vector<const ingest::InputFile*> item_files, fact_files;
  for (const auto& f : files)
    (f.kind == ingest::InputFile::Kind::kFact ? fact_files : item_files).push_back(&f);
  {
    const unsigned fact_jobs = static_cast<unsigned>(
        std::clamp<size_t>(o.jobs ? o.jobs : std::thread::hardware_concurrency(), 1,
                           std::max<size_t>(fact_files.size(), 1)));
    std::vector<model::FactStore> partial(fact_jobs);
    std::atomic<size_t> next_fact{0};
    std::atomic<bool> fact_errors{false};
    auto load = [&](model::FactStore& into) {
      for (size_t i; (i = next_fact++) < fact_files.size();) {
        const ingest::InputFile& f = *fact_files[i];
        auto text = ingest::ReadInput(f.path);
        const Status st = text.ok() ? ingest::LoadFact(f, *text, into) : text.status();
        if (!st.ok()) {
          log::Error(st.message());
          fact_errors = true;
        }
      }
    };
    std::vector<std::thread> loaders;
    for (unsigned j = 1; j < fact_jobs; ++j) loaders.emplace_back(load, std::ref(partial[j]));
    load(partial[0]);
    for (auto& t : loaders) t.join();
    for (auto& p : partial) facts.MergeFrom(std::move(p));
    input_errors |= fact_errors.load();
  }

  const auto t_start = std::chrono::steady_clock::now();
  engine::EngineOptions eo;
  eo.keep_item_json = !o.db.empty();
  // Items whose rules must see every other item first are read again from their files at the
  // end, rather than kept in memory; stdin cannot be read twice.
  eo.jobs = o.jobs;
  eo.reread_deferred = std::none_of(item_files.begin(), item_files.end(),
                                    [](const ingest::InputFile* f) { return f->path == "-"; });
  engine::Engine eng(std::move(rules), facts, eo);

  // At least 1 KB per configuration item as AWS writes them, gzip about 6:1.
  std::uint64_t estimate = 0;
  for (const auto* f : item_files) estimate += (f->path.ends_with(".gz") ? 6 : 1) * f->size / 1024;
  eng.Reserve(static_cast<size_t>(std::min<std::uint64_t>(estimate, 50'000'000)));

  Progress progress(item_files.size(), !o.quiet);
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto worker = [&] {
    ingest::Buffer buffer, scratch;
    engine::Batch batch(eng, 0);  // reused from file to file, keeping its buffers
    for (;;) {
      const size_t i = next++;
      if (i >= item_files.size()) return;
      const std::string& path = item_files[i]->path;
      const std::string shown = path == "-" ? "<stdin>" : path;
      if (auto read = ingest::ReadInput(path, buffer, scratch); !read.ok()) {
        log::Error(read.message());
        failed = true;
        progress.Tick(0);
        continue;
      }
      batch.Reset(static_cast<std::uint32_t>(i), item_files[i]->recording_region);
      const Status st = ingest::ReadItems(
          buffer.view(), [&](const model::ConfigurationItem& ci) { batch.Add(ci); },
          [&](const std::string& m) {
            log::Error(shown + ": " + m);
            failed = true;
          },
          /*padded=*/true);
      if (!st.ok()) {
        log::Error(shown + ": " + st.message());
        failed = true;
      }
      const size_t n = batch.size();
      eng.Merge(std::move(batch));
      progress.Tick(n);
    }
  };
  unsigned jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<size_t>(jobs, std::max<size_t>(item_files.size(), 1)));
  std::vector<std::thread> threads;
  for (unsigned j = 1; j < jobs; ++j) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  input_errors |= failed.load();
  const auto t_read = std::chrono::steady_clock::now();
  const engine::Reread reread =
      [&](std::uint32_t file, std::string& recording_region,
          const std::function<void(const model::ConfigurationItem&)>& item) -> Status {
    const ingest::InputFile& f = *item_files[file];
    recording_region = f.recording_region;
    ingest::Buffer buffer, scratch;
    if (Status st = ingest::ReadInput(f.path, buffer, scratch); !st.ok()) return st;
    return ingest::ReadItems(
        buffer.view(), item, [](const std::string&) {}, /*padded=*/true);
  };
  for (const auto& p : eng.Finish(reread)) {
    log::Error(p);
    input_errors = true;
  }
  const auto t_finish = std::chrono::steady_clock::now();
  for (const auto& file : o.external_files) {
    std::vector<std::string> problems;
    if (auto doc = ReadJsonOrYaml(file); !doc.ok()) {
      problems.push_back(doc.status().message());
    } else {
      const auto evals = model::ParseExternalEvaluations(doc->Root(), file, problems);
      for (auto& p : eng.AddExternalEvaluations(evals)) problems.push_back(file + ": " + p);
    }
    for (const auto& p : problems) log::Error(p);
    input_errors |= !problems.empty();
  }
  if (std::getenv("VIGIL_TIMINGS"))
    std::fprintf(stderr, "timings: setup and facts %.3f s, read+evaluate %.3f s, finish %.3f s\n",
                 std::chrono::duration<double>(t_start - t_begin).count(),
                 std::chrono::duration<double>(t_read - t_start).count(),
                 std::chrono::duration<double>(t_finish - t_read).count());

  // One warning per rule and missing fact, naming the accounts and the command that produces it.
  struct Group {
    std::uint64_t resources = 0;
    std::map<std::string, std::uint64_t> accounts;
    std::string detail;
  };
  std::map<std::pair<std::string, std::string>, Group> groups;
  for (const auto& m : eng.missing_facts()) {
    Group& g = groups[{m.rule, m.fact}];
    g.resources += m.resources;
    g.accounts[m.account.empty() ? "(no account)" : m.account] += m.resources;
    if (g.detail.empty()) g.detail = m.detail;
  }
  for (const auto& [key, g] : groups) {
    const model::FactKind* kind = model::FindFactKind(key.second);
    std::string accounts;
    size_t shown = 0;
    for (const auto& [account, n] : g.accounts) {
      if (++shown > 8) {
        accounts += fmt::format(", and {} more", g.accounts.size() - 8);
        break;
      }
      accounts += fmt::format("{}{} ({})", accounts.empty() ? "" : ", ", account, n);
    }
    std::string how = kind
                          ? fmt::format(
                                "; produce it with `{}` into <facts>/<account-id>/<region>/{}.json "
                                "(scripts/collect-facts does this; see docs/facts.md)",
                                kind->command, kind->name)
                          : "";
    log::Warn(fmt::format(
        "rule '{}': {} resource(s) not evaluated, missing {} (e.g. {}) in account(s) {}{}",
        key.first, g.resources, key.second, g.detail, accounts, how));
  }

  const bool with_rows = *format != report::Format::kText || !o.db.empty();
  report::ReportData data = report::FromEngine(eng, with_rows);
  data.organization = o.organization;
  data.framework = o.framework;
  for (const auto& [p, names] : packs) {
    report::PackInfo info{p.name, p.framework, {}};
    for (const auto& n : names)
      for (std::uint32_t i = 0; i < data.rules.size(); ++i)
        if (data.rules[i].name == n) info.rules.push_back(i);
    if (o.framework.empty()) data.framework += (data.framework.empty() ? "" : " + ") + p.framework;
    data.packs.push_back(std::move(info));
  }
  if (!o.accounts_file.empty()) {
    if (auto st = report::LoadAccountNames(o.accounts_file, data.account_names); !st.ok()) {
      log::Error(st.message());
      input_errors = true;
    }
  }
  if (!o.db.empty()) {
    auto db = store::SqliteStore::Open(o.db);
    if (!db.ok()) {
      log::Error(db.status().message());
      return kExitUsage;
    }
    std::string inputs;
    for (const auto& i : o.inputs) inputs += (inputs.empty() ? "" : " ") + i;
    if (auto st = (*db)->SaveRun(eng, data, inputs); !st.ok()) {
      log::Error(o.db + ": " + st.message());
      input_errors = true;
    }
  }
  std::FILE* out = stdout;
  if (!o.output.empty() && o.output != "-") {
    out = std::fopen(o.output.c_str(), "wb");
    if (out == nullptr) {
      log::Error(o.output + ": cannot write the report");
      return kExitUsage;
    }
  }
  report::Write(data, *format, out);
  if (out != stdout) std::fclose(out);
  if (std::getenv("VIGIL_TIMINGS"))
    std::fprintf(
        stderr, "timings: report %.3f s\n",
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t_finish).count());
  std::uint64_t evaluations = 0;
  for (const auto& r : eng.resources()) evaluations += r.eval_count;
  log::Info(fmt::format("{} configuration items read, {} resources, {} evaluations",
                        eng.items_read(), eng.resources().size(), evaluations));
  if (input_errors) return kExitInputErrors;
  if (o.fail_on_non_compliant && report::Summarise(data).non_compliant > 0)
    return kExitNonCompliant;
  return kExitOk;
}

}  // namespace

void AddEvaluate(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<EvaluateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "evaluate",
      "Evaluate rules over configuration items and print the compliance report.\n"
      "Inputs: snapshot/history files (.json, .json.gz), folders in the S3 delivery layout\n"
      "(AWSLogs/<account>/Config/<region>/...), batch-get-resource-config and\n"
      "get-resource-config-history output, JSON Lines, '-' for stdin, and account-fact files\n"
      "(<account>/<region>/<fact>.json, see docs/facts.md).");
  cmd->add_option("inputs", o->inputs, "Files or folders to read ('-' = stdin)")->required();
  cmd->add_option("-r,--rules", o->rule_files,
                  "File with AWS ConfigRule objects (one, an array, or describe-config-rules "
                  "output); JSON or YAML; repeatable")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("-p,--pack", o->packs,
                  "Conformance pack: a bundled pack's name (see `vigil packs list`) or a "
                  "CloudFormation template file, as put-conformance-pack takes; repeatable")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("-P,--pack-param", o->pack_params,
                  "Override a pack template parameter: NAME=VALUE (an empty VALUE drops the rule "
                  "parameter, so the managed rule's default applies); repeatable")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("-e,--external-evaluations", o->external_files,
                  "Evaluations a person recorded for manual controls (AWS_CONFIG_PROCESS_CHECK): "
                  "put-external-evaluation input objects (with AccountId/AwsRegion), or "
                  "get-compliance-details-by-config-rule output; JSON or YAML; repeatable")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("-a,--accounts", o->accounts_file,
                  "Account names: `aws organizations list-accounts` output or {\"id\": \"name\"}");
  cmd->add_option("--organization", o->organization, "Organisation name for the report header");
  cmd->add_option("--framework", o->framework, "Framework name for the report header");
  cmd->add_option("-f,--format", o->format,
                  "Output: text (the compliance report), json (AWS EvaluationResult objects), csv")
      ->check(CLI::IsMember({"text", "json", "csv"}));
  cmd->add_option("-o,--output", o->output, "Write the report to this file instead of stdout");
  cmd->add_option("--db", o->db, "Keep items, history, rules and evaluations in this SQLite file");
  cmd->add_option("-j,--jobs", o->jobs, "Worker threads (default: one per core)");
  cmd->add_flag("-q,--quiet", o->quiet, "No progress or summary on stderr");
  cmd->add_flag("--fail-on-non-compliant", o->fail_on_non_compliant,
                "Exit with status 3 when any evaluation is NON_COMPLIANT (for CI pipelines)");
  cmd->footer(
      "Exit status: 0 ok, 1 some input could not be read (the rest was evaluated), 2 usage or "
      "rules error,\n"
      "3 non-compliant resources with --fail-on-non-compliant.\n"
      "Examples:\n"
      "  vigil evaluate --rules examples/org/rules.json examples/org/AWSLogs examples/org/facts\n"
      "  vigil evaluate --pack cis-aws-v1.4-level1 ./AWSLogs/ ./facts/\n"
      "  vigil evaluate --pack ./Operational-Best-Practices-for-PCI-DSS.yaml \\\n"
      "      --pack-param IamPasswordPolicyParamMinimumPasswordLength=16 ./AWSLogs/");
  cmd->callback([o, &exit_code] {
    if (o->rule_files.empty() && o->packs.empty()) throw CLI::RequiredError("--rules or --pack");
    exit_code = RunEvaluate(*o);
  });
}

}  // namespace vigil::cli
