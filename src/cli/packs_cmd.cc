// vigil packs: the bundled conformance packs (list, coverage, show).
#include <fmt/format.h>

#include <cstdio>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "json/writer.h"
#include "pack/pack.h"
#include "rules/rule.h"

namespace vigil::cli {
namespace {

struct Loaded {
  std::string name, framework;
  Result<pack::Pack> pack;
};

// Every bundled pack, or just `which` (a bundled name or a template file).
std::vector<Loaded> LoadAll(const std::string& which) {
  std::vector<Loaded> out;
  pack::LoadOptions options;
  options.lenient = true;  // listing needs no parameter values
  if (!which.empty()) {
    auto p = pack::LoadPackArg(which, options);
    std::string name = p.ok() ? p->name : which, framework = p.ok() ? p->framework : "";
    out.push_back({name, framework, std::move(p)});
    return out;
  }
  for (const auto& b : pack::BundledPacks())
    out.push_back(
        {std::string(b.name), std::string(b.framework), pack::LoadPackArg(b.name, options)});
  return out;
}

int Percent(size_t part, size_t whole) {
  return whole == 0 ? 100 : static_cast<int>(part * 100 / whole);
}

}  // namespace

void AddPacks(CLI::App& app, int& exit_code) {
  CLI::App* packs = app.add_subcommand(
      "packs", "Conformance packs: AWS's templates bundled with vigil, and your own");
  packs->require_subcommand(1);

  auto list_json = std::make_shared<bool>(false);
  CLI::App* list = packs->add_subcommand(
      "list", "List the bundled packs: name, framework, rules, and how many vigil implements");
  list->add_flag("--json", *list_json, "JSON output");
  list->callback([list_json, &exit_code] {
    json::Writer w(2);
    std::string text =
        fmt::format("{:<46} {:<48} {:>5} {:>11}\n", "NAME", "FRAMEWORK", "RULES", "IMPLEMENTED");
    if (*list_json) w.BeginArray();
    exit_code = kExitOk;
    for (auto& l : LoadAll("")) {
      if (!l.pack.ok()) {
        std::fprintf(stderr, "vigil: %s\n", l.pack.status().message().c_str());
        exit_code = kExitInputErrors;
        continue;
      }
      const pack::Coverage c = pack::PackCoverage(*l.pack);
      const size_t implemented = c.implemented_rules;
      if (*list_json) {
        w.BeginObject()
            .Field("name", l.name)
            .Field("framework", l.framework)
            .Field("rules", static_cast<std::int64_t>(c.rules))
            .Field("implementedRules", static_cast<std::int64_t>(implemented))
            .Field("customRules", static_cast<std::int64_t>(c.custom))
            .Field("remediations", static_cast<std::int64_t>(l.pack->remediations.size()))
            .EndObject();
      } else {
        text += fmt::format("{:<46} {:<48} {:>5} {:>6} ({:>3}%)\n", l.name, l.framework, c.rules,
                            implemented, Percent(implemented, c.rules));
      }
    }
    if (*list_json) {
      w.EndArray();
      std::fputs(w.str().c_str(), stdout);
      std::fputc('\n', stdout);
    } else {
      std::fputs(text.c_str(), stdout);
      std::fputs(
          "\nUse a name with `vigil evaluate --pack NAME`; `vigil packs show NAME` prints its "
          "rules and parameters.\n",
          stdout);
    }
  });

  auto cov_pack = std::make_shared<std::string>();
  auto cov_json = std::make_shared<bool>(false);
  CLI::App* coverage = packs->add_subcommand(
      "coverage",
      "Implemented / referenced managed-rule identifiers per pack, and the identifiers missing");
  coverage->add_option("pack", *cov_pack,
                       "A bundled pack's name or a template file (default: all)");
  coverage->add_flag("--json", *cov_json, "JSON output");
  coverage->callback([cov_pack, cov_json, &exit_code] {
    json::Writer w(2);
    std::string text;
    if (*cov_json) w.BeginArray();
    exit_code = kExitOk;
    std::map<std::string, std::vector<std::string>> remaining;  // identifier -> packs
    for (auto& l : LoadAll(*cov_pack)) {
      if (!l.pack.ok()) {
        std::fprintf(stderr, "vigil: %s\n", l.pack.status().message().c_str());
        exit_code = kExitInputErrors;
        continue;
      }
      const pack::Coverage c = pack::PackCoverage(*l.pack);
      const size_t implemented = c.referenced.size() - c.missing.size();
      for (const auto& m : c.missing) remaining[m].push_back(l.name);
      if (*cov_json) {
        w.BeginObject()
            .Field("name", l.name)
            .Field("framework", l.framework)
            .Field("referenced", static_cast<std::int64_t>(c.referenced.size()))
            .Field("implemented", static_cast<std::int64_t>(implemented));
        w.Key("missing").BeginArray();
        for (const auto& m : c.missing) w.String(m);
        w.EndArray().EndObject();
      } else {
        text += fmt::format("{:<46} {:>3} / {:>3} identifiers implemented ({:>3}%)\n", l.name,
                            implemented, c.referenced.size(),
                            Percent(implemented, c.referenced.size()));
      }
    }
    if (*cov_json) {
      w.EndArray();
      std::fputs(w.str().c_str(), stdout);
      std::fputc('\n', stdout);
      return;
    }
    if (!remaining.empty()) {
      text += fmt::format("\nNot implemented yet ({} identifiers):\n", remaining.size());
      for (const auto& [id, in] : remaining) {
        std::string where;
        for (const auto& p : in) where += (where.empty() ? "" : ", ") + p;
        text += fmt::format("  {:<58} {}\n", id, where);
      }
    }
    std::fputs(text.c_str(), stdout);
  });

  auto show_pack = std::make_shared<std::string>();
  auto show_params = std::make_shared<std::vector<std::string>>();
  CLI::App* show = packs->add_subcommand(
      "show",
      "Print a pack's rules as resolved (describe-config-rules JSON), with its parameters applied");
  show->add_option("pack", *show_pack, "A bundled pack's name or a template file")->required();
  show->add_option("-P,--pack-param", *show_params, "NAME=VALUE parameter override; repeatable")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  show->callback([show_pack, show_params, &exit_code] {
    pack::LoadOptions options;
    if (Status st = pack::ParseOverrides(*show_params, options.overrides); !st.ok()) {
      std::fprintf(stderr, "vigil: %s\n", st.message().c_str());
      exit_code = kExitUsage;
      return;
    }
    auto p = pack::LoadPackArg(*show_pack, options);
    if (!p.ok()) {
      std::fprintf(stderr, "vigil: %s\n", p.status().message().c_str());
      exit_code = kExitUsage;
      return;
    }
    json::Writer w(2);
    w.BeginObject()
        .Field("ConformancePackName", p->name)
        .Field("Framework", p->framework)
        .Key("Parameters")
        .BeginArray();
    for (const auto& name : p->parameters) w.String(name);
    w.EndArray().Key("ConfigRules").BeginArray();
    for (const auto& r : p->rules) w.Raw(r.rule.ToJson());
    w.EndArray().Key("RemediationConfigurations").BeginArray();
    for (const auto& r : p->remediations) w.Raw(r.json);
    w.EndArray().EndObject();
    std::fputs(w.str().c_str(), stdout);
    std::fputc('\n', stdout);
    exit_code = kExitOk;
  });
}

}  // namespace vigil::cli
