// The embedded store: one SQLite file keeping configuration items with their history, the rules
// and evaluations of every run, and compliance transitions between runs.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "engine/engine.h"
#include "report/report.h"

struct sqlite3;

namespace vigil::store {

class SqliteStore {
 public:
  // Opens (creating if needed) the database at `path`.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);
  ~SqliteStore();

  // Saves a finished engine run: items (latest capture) and their history, rules, evaluations.
  // Compares the new evaluations with the previous run's and records every change of
  // ComplianceType as a transition. Fills `data.transitions` with them.
  Status SaveRun(const engine::Engine& engine, report::ReportData& data, const std::string& inputs);

  // Loads the latest run as report data (for `vigil report --db`).
  Result<report::ReportData> LoadLatest();

 private:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  Status Exec(const char* sql);
  sqlite3* db_;
};

}  // namespace vigil::store
