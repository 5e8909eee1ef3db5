// vigil rules list: every AWS managed-rule identifier and whether vigil implements it.
// vigil facts list: every account fact vigil reads, how to collect it, and which rules read it.
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "json/writer.h"
#include "model/facts.h"
#include "rules/rule.h"

namespace vigil::cli {

void AddRules(CLI::App& app, int& exit_code) {
  CLI::App* rules_cmd = app.add_subcommand("rules", "Inspect the managed-rule catalogue");
  rules_cmd->require_subcommand(1);
  auto as_json = std::make_shared<bool>(false);
  auto only_implemented = std::make_shared<bool>(false);
  CLI::App* list = rules_cmd->add_subcommand(
      "list", "List all 822 AWS managed-rule identifiers with their status in vigil");
  list->add_flag("--json", *as_json, "JSON output");
  list->add_flag("--implemented", *only_implemented, "Only the rules vigil implements");
  list->callback([as_json, only_implemented, &exit_code] {
    const auto catalogue = rules::Catalogue();
    size_t implemented = 0;
    json::Writer w(2);
    std::string text;
    if (*as_json) w.BeginArray();
    for (const auto& e : catalogue) {
      const rules::ManagedRule* r = rules::FindRule(e.identifier);
      if (r) ++implemented;
      if (*only_implemented && !r) continue;
      const char* status = r ? "implemented" : "not implemented";
      if (*as_json) {
        w.BeginObject()
            .Field("identifier", e.identifier)
            .Field("status", status)
            .Field("trigger", e.trigger);
        w.Key("resourceTypes").BeginArray();
        for (const auto& t : e.resource_types) w.String(t);
        w.EndArray();
        w.Key("parameters").BeginArray();
        for (const auto& p : r ? std::span<const rules::ParamSpec>(r->parameters)
                               : std::span<const rules::ParamSpec>(e.parameters)) {
          w.BeginObject()
              .Field("name", p.name)
              .Field("type", rules::ParamTypeName(p.type))
              .Field("optional", p.optional);
          if (!p.default_value.empty()) w.Field("default", p.default_value);
          w.EndObject();
        }
        w.EndArray();
        if (r != nullptr) {
          w.Key("facts").BeginArray();
          for (std::string_view f : r->facts) w.String(f);
          w.EndArray().Key("contextTypes").BeginArray();
          for (std::string_view t : r->context_types) w.String(t);
          w.EndArray();
        }
        w.EndObject();
      } else {
        std::string types;
        for (size_t i = 0; i < e.resource_types.size() && i < 3; ++i)
          types += (i ? ", " : "") + e.resource_types[i];
        if (e.resource_types.size() > 3)
          types += fmt::format(" (+{})", e.resource_types.size() - 3);
        text += fmt::format("{:<60} {:<16} {}\n", e.identifier, status,
                            types.empty() ? "(account)" : types);
      }
    }
    if (*as_json) {
      w.EndArray();
      std::fputs(w.str().c_str(), stdout);
      std::fputc('\n', stdout);
    } else {
      std::fputs(text.c_str(), stdout);
      std::fprintf(stdout, "\n%zu identifiers, %zu implemented\n", catalogue.size(), implemented);
    }
    exit_code = kExitOk;
  });
}

void AddFacts(CLI::App& app, int& exit_code) {
  CLI::App* facts_cmd =
      app.add_subcommand("facts", "The account facts periodic rules read (see docs/facts.md)");
  facts_cmd->require_subcommand(1);
  auto as_json = std::make_shared<bool>(false);
  CLI::App* list = facts_cmd->add_subcommand(
      "list",
      "List every fact: its file name, the AWS CLI call behind it and the rules reading it");
  list->add_flag("--json", *as_json, "JSON output (scripts/collect-facts reads it)");
  list->callback([as_json, &exit_code] {
    json::Writer w(2);
    std::string text;
    if (*as_json) w.BeginArray();
    for (const model::FactKind& k : model::FactKinds()) {
      std::vector<std::string_view> readers;
      for (const rules::ManagedRule* r : rules::AllRules())
        for (std::string_view f : r->facts)
          if (f == k.name) readers.push_back(r->identifier);
      if (*as_json) {
        w.BeginObject()
            .Field("name", k.name)
            .Field("command", k.command)
            .Field("scope", k.global ? "global" : "regional")
            .Field("keysFrom", k.keys_from)
            .Field("answerErrors", k.answer_errors)
            .Field("description", k.description);
        w.Key("readBy").BeginArray();
        for (std::string_view r : readers) w.String(r);
        w.EndArray().EndObject();
      } else {
        std::string by;
        for (std::string_view r : readers) by += (by.empty() ? "" : ", ") + std::string(r);
        text += fmt::format("{} ({}{})\n  {}\n  {}\n  read by: {}\n\n", k.name,
                            k.global ? "global" : "per region",
                            k.keys_from.empty() ? "" : fmt::format(", keyed by {}", k.keys_from),
                            k.command, k.description, by.empty() ? "-" : by);
      }
    }
    if (*as_json) {
      w.EndArray();
      std::fputs(w.str().c_str(), stdout);
      std::fputc('\n', stdout);
    } else {
      std::fputs(text.c_str(), stdout);
    }
    exit_code = kExitOk;
  });
}

}  // namespace vigil::cli
