// vigil report: print the report of the latest run kept in a SQLite store.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/commands.h"
#include "common/log.h"
#include "report/report.h"
#include "store/sqlite_store.h"

namespace vigil::cli {

void AddReport(CLI::App& app, int& exit_code) {
  struct Options {
    std::string db, format = "text", output, accounts, organization, framework;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "report", "Print the report of the latest run stored by `vigil evaluate --db`");
  cmd->add_option("--db", o->db, "SQLite file written by `vigil evaluate --db`")->required();
  cmd->add_option("-f,--format", o->format, "text, json or csv")
      ->check(CLI::IsMember({"text", "json", "csv"}));
  cmd->add_option("-o,--output", o->output, "Write to this file instead of stdout");
  cmd->add_option("-a,--accounts", o->accounts,
                  "Account names (overrides those stored with the run)");
  cmd->add_option("--organization", o->organization,
                  "Organisation name (overrides the stored one)");
  cmd->add_option("--framework", o->framework, "Framework name (overrides the stored one)");
  cmd->callback([o, &exit_code] {
    if (!std::filesystem::exists(o->db)) {
      log::Error(o->db + ": no such database; create it with `vigil evaluate --db " + o->db +
                 " ...`");
      exit_code = kExitUsage;
      return;
    }
    auto db = store::SqliteStore::Open(o->db);
    if (!db.ok()) {
      log::Error(db.status().message());
      exit_code = kExitUsage;
      return;
    }
    auto data = (*db)->LoadLatest();
    if (!data.ok()) {
      log::Error(o->db + ": " + data.status().message());
      exit_code = kExitUsage;
      return;
    }
    if (!o->organization.empty()) data->organization = o->organization;
    if (!o->framework.empty()) data->framework = o->framework;
    if (!o->accounts.empty()) {
      if (auto st = report::LoadAccountNames(o->accounts, data->account_names); !st.ok()) {
        log::Error(st.message());
        exit_code = kExitInputErrors;
      }
    }
    std::FILE* out = o->output.empty() ? stdout : std::fopen(o->output.c_str(), "wb");
    if (out == nullptr) {
      log::Error(o->output + ": cannot write the report");
      exit_code = kExitUsage;
      return;
    }
    report::Write(*data, *report::ParseFormat(o->format), out);
    if (out != stdout) std::fclose(out);
  });
}

}  // namespace vigil::cli
