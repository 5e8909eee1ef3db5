#include "store/sqlite_store.h"

#include <sqlite3.h>

#include <charconv>
#include <map>
#include <tuple>

#include "common/strings.h"
#include "json/value.h"
#include "json/writer.h"

namespace vigil::store {

namespace {

constexpr const char* kSchema = R"sql(
PRAGMA journal_mode=WAL;
CREATE TABLE IF NOT EXISTS runs(
  id INTEGER PRIMARY KEY AUTOINCREMENT, run_time INTEGER NOT NULL, inputs TEXT,
  organization TEXT, framework TEXT, accounts_json TEXT, missing_json TEXT);
CREATE TABLE IF NOT EXISTS rules(
  run INTEGER NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, identifier TEXT, owner TEXT,
  note TEXT, manual INTEGER, config_json TEXT, PRIMARY KEY(run, position));
CREATE TABLE IF NOT EXISTS packs(
  run INTEGER NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, framework TEXT,
  rule_positions TEXT, PRIMARY KEY(run, position));
CREATE TABLE IF NOT EXISTS items(
  account TEXT, region TEXT, type TEXT, id TEXT, name TEXT, arn TEXT, capture_time INTEGER,
  status TEXT, state_id TEXT, captures INTEGER, PRIMARY KEY(account, region, type, id));
CREATE TABLE IF NOT EXISTS item_history(
  account TEXT, region TEXT, type TEXT, id TEXT, capture_time INTEGER, status TEXT, json TEXT,
  PRIMARY KEY(account, region, type, id, capture_time));
CREATE TABLE IF NOT EXISTS evaluations(
  run INTEGER NOT NULL, rule TEXT NOT NULL, account TEXT, region TEXT, type TEXT, id TEXT,
  compliance TEXT NOT NULL, annotation TEXT, ordering_time INTEGER);
CREATE INDEX IF NOT EXISTS evaluations_run ON evaluations(run);
CREATE TABLE IF NOT EXISTS transitions(
  run INTEGER NOT NULL, rule TEXT, account TEXT, region TEXT, type TEXT, id TEXT,
  old_compliance TEXT, new_compliance TEXT);
)sql";

class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) {
    ok_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) == SQLITE_OK;
  }
  ~Stmt() { sqlite3_finalize(s_); }
  bool ok() const { return ok_; }
  Stmt& Bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  bool Step() { return sqlite3_step(s_) == SQLITE_ROW; }
  int Done() {
    const int rc = sqlite3_step(s_);
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
    return rc;
  }
  std::string Text(int col) {
    const auto* p = sqlite3_column_text(s_, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<size_t>(sqlite3_column_bytes(s_, col)))
             : "";
  }
  std::int64_t Int(int col) { return sqlite3_column_int64(s_, col); }

 private:
  sqlite3_stmt* s_ = nullptr;
  bool ok_ = false;
};

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::Error(path + ": cannot open database: " + msg);
  }
  std::unique_ptr<SqliteStore> s(new SqliteStore(db));
  if (auto st = s->Exec(kSchema); !st.ok())
    return Status::Error(path + ": not a vigil database, or it cannot be written: " + st.message());
  return s;
}

SqliteStore::~SqliteStore() { sqlite3_close(db_); }

Status SqliteStore::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "unknown error";
    sqlite3_free(err);
    return Status::Error(m);
  }
  return Status::Ok();
}

Status SqliteStore::SaveRun(const engine::Engine& e, report::ReportData& data,
                            const std::string& inputs) {
  if (auto st = Exec("BEGIN IMMEDIATE"); !st.ok()) return st;
  // Previous run's evaluations, to find transitions.
  using Key = std::tuple<std::string, std::string, std::string, std::string, std::string>;
  std::map<Key, std::string> previous;
  std::int64_t previous_run = 0;
  {
    Stmt q(db_, "SELECT MAX(id) FROM runs");
    if (q.Step()) previous_run = q.Int(0);
  }
  if (previous_run > 0) {
    Stmt q(db_,
           "SELECT rule, account, region, type, id, compliance FROM evaluations WHERE run = ?");
    q.Bind(1, previous_run);
    while (q.Step()) previous[{q.Text(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4)}] = q.Text(5);
  }
  json::Writer accounts;
  accounts.BeginObject();
  for (const auto& [id, name] : data.account_names) accounts.Field(id, name);
  accounts.EndObject();
  json::Writer missing;
  report::WriteMissingFacts(data.missing, missing);
  {
    Stmt ins(db_,
             "INSERT INTO runs(run_time, inputs, organization, framework, accounts_json, "
             "missing_json) VALUES(?,?,?,?,?,?)");
    ins.Bind(1, e.run_time())
        .Bind(2, inputs)
        .Bind(3, data.organization)
        .Bind(4, data.framework)
        .Bind(5, accounts.str())
        .Bind(6, missing.str());
    if (ins.Done() != SQLITE_DONE) return Status::Error(sqlite3_errmsg(db_));
  }
  const std::int64_t run = sqlite3_last_insert_rowid(db_);
  {
    Stmt ins(db_, "INSERT INTO rules VALUES(?,?,?,?,?,?,?,?)");
    for (size_t i = 0; i < e.rules().size(); ++i) {
      const auto& r = e.rules()[i];
      ins.Bind(1, run)
          .Bind(2, static_cast<std::int64_t>(i))
          .Bind(3, r.config.name)
          .Bind(4, data.rules[i].identifier)
          .Bind(5, r.config.owner)
          .Bind(6, r.note)
          .Bind(7, static_cast<std::int64_t>(r.manual))
          .Bind(8, r.config.ToJson());
      ins.Done();
    }
  }
  {
    // Conformance packs: their rules as positions in the rules table, comma-separated.
    Stmt ins(db_, "INSERT INTO packs VALUES(?,?,?,?,?)");
    for (size_t i = 0; i < data.packs.size(); ++i) {
      std::string positions;
      for (std::uint32_t r : data.packs[i].rules)
        positions += (positions.empty() ? "" : ",") + std::to_string(r);
      ins.Bind(1, run)
          .Bind(2, static_cast<std::int64_t>(i))
          .Bind(3, data.packs[i].name)
          .Bind(4, data.packs[i].framework)
          .Bind(5, positions);
      ins.Done();
    }
  }
  const auto& names = e.names();
  {
    Stmt ins(db_,
             "INSERT INTO items VALUES(?,?,?,?,?,?,?,?,?,?) ON CONFLICT(account, region, type, id) "
             "DO UPDATE SET "
             "name=excluded.name, arn=excluded.arn, capture_time=excluded.capture_time, "
             "status=excluded.status, "
             "state_id=excluded.state_id, captures=excluded.captures WHERE excluded.capture_time "
             ">= items.capture_time");
    for (const auto& r : e.resources()) {
      ins.Bind(1, names.Name(r.account))
          .Bind(2, names.Name(r.region))
          .Bind(3, names.Name(r.type))
          .Bind(4, r.id)
          .Bind(5, r.name)
          .Bind(6, r.arn)
          .Bind(7, r.capture)
          .Bind(8, model::ItemStatusName(r.status))
          .Bind(9, r.state_id)
          .Bind(10, static_cast<std::int64_t>(r.captures));
      ins.Done();
    }
  }
  {
    Stmt ins(db_, "INSERT OR IGNORE INTO item_history VALUES(?,?,?,?,?,?,?)");
    for (const auto& c : e.history()) {
      const auto& r = e.resources()[c.resource];
      ins.Bind(1, names.Name(r.account))
          .Bind(2, names.Name(r.region))
          .Bind(3, names.Name(r.type))
          .Bind(4, r.id)
          .Bind(5, c.capture)
          .Bind(6, model::ItemStatusName(c.status))
          .Bind(7, c.json);
      ins.Done();
    }
  }
  {
    Stmt ins(db_, "INSERT INTO evaluations VALUES(?,?,?,?,?,?,?,?,?)");
    Stmt tr(db_, "INSERT INTO transitions VALUES(?,?,?,?,?,?,?,?)");
    data.transitions.clear();
    for (const auto& row : data.rows) {
      const std::string& rule = data.rules[row.rule].name;
      const std::string_view now = rules::ComplianceName(row.compliance);
      ins.Bind(1, run)
          .Bind(2, rule)
          .Bind(3, row.account)
          .Bind(4, row.region)
          .Bind(5, row.type)
          .Bind(6, row.id)
          .Bind(7, now)
          .Bind(8, row.annotation)
          .Bind(9, row.ordering);
      ins.Done();
      if (previous_run == 0) continue;
      auto it = previous.find({rule, std::string(row.account), std::string(row.region),
                               std::string(row.type), std::string(row.id)});
      const std::string before = it == previous.end() ? "" : it->second;
      if (before == now) continue;
      tr.Bind(1, run)
          .Bind(2, rule)
          .Bind(3, row.account)
          .Bind(4, row.region)
          .Bind(5, row.type)
          .Bind(6, row.id)
          .Bind(7, before)
          .Bind(8, now);
      tr.Done();
      data.transitions.push_back({rule, std::string(row.account), std::string(row.region),
                                  std::string(row.type), std::string(row.id), before,
                                  std::string(now)});
    }
  }
  data.has_previous_run = previous_run > 0;
  return Exec("COMMIT");
}

Result<report::ReportData> SqliteStore::LoadLatest() {
  report::ReportData d;
  std::int64_t run = 0;
  {
    Stmt q(db_,
           "SELECT id, run_time, organization, framework, accounts_json, missing_json FROM runs "
           "ORDER BY id DESC LIMIT 1");
    if (!q.Step())
      return Status::Error(
          "the database holds no run yet: run `vigil evaluate --db FILE ...` first");
    run = q.Int(0);
    d.date = q.Int(1);
    d.organization = q.Text(2);
    d.framework = q.Text(3);
    auto acc = json::Document::Parse(q.Text(4));
    if (acc.ok())
      for (const auto m : acc->Root().Members())
        d.account_names[std::string(m.key)] = std::string(m.value.String().value_or(""));
    auto mis = json::Document::Parse(q.Text(5));
    if (mis.ok()) d.missing = report::ReadMissingFacts(mis->Root());
  }
  std::map<std::string, std::uint32_t> rule_index;
  {
    Stmt q(
        db_,
        "SELECT name, identifier, owner, note, manual FROM rules WHERE run = ? ORDER BY position");
    q.Bind(1, run);
    while (q.Step()) {
      rule_index[q.Text(0)] = static_cast<std::uint32_t>(d.rules.size());
      d.rules.push_back({q.Text(0), q.Text(1), q.Text(2), q.Text(3), q.Int(4) != 0});
    }
  }
  {
    Stmt q(db_,
           "SELECT name, framework, rule_positions FROM packs WHERE run = ? ORDER BY position");
    q.Bind(1, run);
    while (q.Step()) {
      report::PackInfo p{q.Text(0), q.Text(1), {}};
      const std::string positions = q.Text(2);
      for (std::string_view part : Split(positions, ',')) {
        std::uint32_t n = 0;
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), n);
        if (ec == std::errc() && end == part.data() + part.size() && n < d.rules.size())
          p.rules.push_back(n);
      }
      d.packs.push_back(std::move(p));
    }
  }
  {
    Stmt q(db_,
           "SELECT rule, account, region, type, id, compliance, annotation, ordering_time FROM "
           "evaluations WHERE run = ?");
    q.Bind(1, run);
    std::map<std::string, std::uint32_t> resources;
    while (q.Step()) {
      auto ri = rule_index.find(q.Text(0));
      if (ri == rule_index.end()) continue;
      const auto [res, inserted] =
          resources.try_emplace(q.Text(1) + "|" + q.Text(2) + "|" + q.Text(3) + "|" + q.Text(4),
                                static_cast<std::uint32_t>(resources.size()));
      d.rows.push_back(
          {ri->second, res->second, d.Keep(q.Text(1)), d.Keep(q.Text(2)), d.Keep(q.Text(3)),
           d.Keep(q.Text(4)), d.Keep(q.Text(6)), q.Int(7),
           rules::ParseCompliance(q.Text(5)).value_or(rules::Compliance::kInsufficientData)});
    }
    d.resource_count = static_cast<std::uint32_t>(resources.size());
  }
  {
    Stmt q(db_, "SELECT COUNT(*) FROM runs WHERE id < ?");
    q.Bind(1, run);
    d.has_previous_run = q.Step() && q.Int(0) > 0;
    Stmt t(db_,
           "SELECT rule, account, region, type, id, old_compliance, new_compliance FROM "
           "transitions WHERE run = ?");
    t.Bind(1, run);
    while (t.Step())
      d.transitions.push_back(
          {t.Text(0), t.Text(1), t.Text(2), t.Text(3), t.Text(4), t.Text(5), t.Text(6)});
  }
  return d;
}

}  // namespace vigil::store
