#include "api/store.h"

#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "api/pg_store.h"

namespace vigil::api {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS documents(
  account TEXT NOT NULL, region TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
  body TEXT NOT NULL, PRIMARY KEY(account, region, kind, name)) WITHOUT ROWID;
)sql";

class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return s_ != nullptr; }
  Stmt& Bind(int i, std::string_view v) {
    // A default-constructed view has no data pointer, which SQLite would bind as NULL.
    sqlite3_bind_text(s_, i, v.data() ? v.data() : "", static_cast<int>(v.size()),
                      SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Stmt& BindTenant(const api::Tenant& t, std::string_view kind) {
    return Bind(1, t.account_id).Bind(2, t.region).Bind(3, kind);
  }
  int Step() { return sqlite3_step(s_); }
  void Reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
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
};

struct Statements {
  explicit Statements(sqlite3* db)
      : get(db,
            "SELECT body FROM documents WHERE account=?1 AND region=?2 AND kind=?3 AND name=?4"),
        list(db,
             "SELECT name, body FROM documents WHERE account=?1 AND region=?2 AND kind=?3 AND "
             "name>?4 ORDER BY name LIMIT ?5"),
        count(db, "SELECT count(*) FROM documents WHERE account=?1 AND region=?2 AND kind=?3"),
        put(db,
            "INSERT OR REPLACE INTO documents(account, region, kind, name, body) "
            "VALUES(?1, ?2, ?3, ?4, ?5)"),
        del(db, "DELETE FROM documents WHERE account=?1 AND region=?2 AND kind=?3 AND name=?4"),
        list_range(db,
                   "SELECT name, body FROM documents WHERE account=?1 AND region=?2 AND kind=?3 "
                   "AND name>?4 AND name<?6 ORDER BY name LIMIT ?5"),
        del_range(db,
                  "DELETE FROM documents WHERE account=?1 AND region=?2 AND kind=?3 AND name>=?4 "
                  "AND name<?5"),
        begin(db, "BEGIN IMMEDIATE"),
        commit(db, "COMMIT"),
        rollback(db, "ROLLBACK") {}
  bool ok() const {
    return get.ok() && list.ok() && count.ok() && put.ok() && del.ok() && list_range.ok() &&
           del_range.ok() && begin.ok() && commit.ok() && rollback.ok();
  }
  Stmt get, list, count, put, del, list_range, del_range, begin, commit, rollback;
};

// The SQLite backend: one connection, serialised by a mutex within the process and by
// BEGIN IMMEDIATE (with a 5 s busy timeout) across processes.
class SqliteStore final : public Store {
 public:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  ~SqliteStore() override {
    {
      std::lock_guard lock(checkpoint_mu_);
      stop_checkpoints_ = true;
    }
    checkpoint_cv_.notify_all();
    if (checkpointer_.joinable()) checkpointer_.join();
    if (checkpoint_db_ != nullptr) sqlite3_close(checkpoint_db_);
    stmts_.reset();
    sqlite3_close(db_);
  }
  static Result<std::unique_ptr<Store>> Open(const std::string& dir, bool durable);

  Status Transact(const std::function<bool()>& fn) override;
  std::optional<std::string> Get(const Tenant& t, std::string_view kind,
                                 std::string_view name) override;
  std::vector<Document> List(const Tenant& t, std::string_view kind, std::string_view after,
                             size_t limit) override;
  std::int64_t Count(const Tenant& t, std::string_view kind) override;
  std::vector<Document> ListPrefix(const Tenant& t, std::string_view kind, std::string_view prefix,
                                   std::string_view after, size_t limit) override;
  std::int64_t DeletePrefix(const Tenant& t, std::string_view kind,
                            std::string_view prefix) override;
  void Put(const Tenant& t, std::string_view kind, std::string_view name,
           std::string_view body) override;
  bool Delete(const Tenant& t, std::string_view kind, std::string_view name) override;

 private:
  // WAL checkpoints (copying committed pages from the WAL into the database file, with an fsync)
  // run on a connection and thread of their own, every 100 ms, instead of inside whichever
  // commit crosses SQLite's 1000-page threshold: a request never waits for one (they made the
  // change-to-verdict p99 ~10 ms). A passive checkpoint does not block readers or writers.
  void StartCheckpoints(const std::string& path);
  void Note(int rc);
  sqlite3* checkpoint_db_ = nullptr;
  std::thread checkpointer_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool stop_checkpoints_ = false;
  sqlite3* db_;
  std::string failure_;  // first SQLite error inside the current transaction
  std::unique_ptr<Statements> stmts_;
  std::mutex mu_;
};

Result<std::unique_ptr<Store>> SqliteStore::Open(const std::string& dir, bool durable) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Error(dir + ": cannot create the data directory: " + ec.message());
  const std::string path = (std::filesystem::path(dir) / "vigil-serve.db").string();
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string msg = path + ": " + (db ? sqlite3_errmsg(db) : "cannot open");
    sqlite3_close(db);
    return Status::Error(msg);
  }
  auto store = std::make_unique<SqliteStore>(db);
  sqlite3_busy_timeout(db, 5000);
  // An 8 MiB page cache (SQLite's default is 2 MiB; the serve benchmark spent ~8% of its time in
  // pread). Not larger, and no mmap: both grow the resident size with the database, which the
  // load test's flat-memory check (rightly) counts.
  const std::string pragmas = std::string("PRAGMA journal_mode=WAL; PRAGMA synchronous=") +
                              (durable ? "FULL" : "NORMAL") +
                              "; PRAGMA cache_size=-8192; PRAGMA wal_autocheckpoint=0;";
  char* err = nullptr;
  if (sqlite3_exec(db, pragmas.c_str(), nullptr, nullptr, &err) != SQLITE_OK ||
      sqlite3_exec(db, kSchema, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = path + ": " + (err ? err : "cannot set up the database");
    sqlite3_free(err);
    return Status::Error(msg);
  }
  store->stmts_ = std::make_unique<Statements>(db);
  if (!store->stmts_->ok()) return Status::Error(path + ": " + sqlite3_errmsg(db));
  store->StartCheckpoints(path);
  return std::unique_ptr<Store>(std::move(store));
}

void SqliteStore::StartCheckpoints(const std::string& path) {
  if (sqlite3_open_v2(path.c_str(), &checkpoint_db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    // Without its own connection the WAL is checkpointed by SQLite on commits, as by default.
    sqlite3_close(checkpoint_db_);
    checkpoint_db_ = nullptr;
    sqlite3_exec(db_, "PRAGMA wal_autocheckpoint=1000;", nullptr, nullptr, nullptr);
    return;
  }
  sqlite3_busy_timeout(checkpoint_db_, 1000);
  checkpointer_ = std::thread([this] {
    // Signals are for the threads that wait for them (vigil serve blocks SIGTERM in its threads
    // after opening the store): this one must never receive one.
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, nullptr);
    std::unique_lock lock(checkpoint_mu_);
    while (!checkpoint_cv_.wait_for(lock, std::chrono::milliseconds(100),
                                    [this] { return stop_checkpoints_; })) {
      lock.unlock();
      sqlite3_wal_checkpoint_v2(checkpoint_db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                nullptr);
      lock.lock();
    }
  });
}

void SqliteStore::Note(int rc) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW && failure_.empty()) {
    failure_ = sqlite3_errmsg(db_);
  }
}

Status SqliteStore::Transact(const std::function<bool()>& fn) {
  std::lock_guard lock(mu_);
  failure_.clear();
  const int rc = stmts_->begin.Step();
  stmts_->begin.Reset();
  if (rc != SQLITE_DONE) return Status::Error(std::string("begin: ") + sqlite3_errmsg(db_));
  const bool commit = fn() && failure_.empty();
  Stmt& end = commit ? stmts_->commit : stmts_->rollback;
  const int end_rc = end.Step();
  end.Reset();
  if (!failure_.empty()) return Status::Error(failure_);
  if (end_rc != SQLITE_DONE) {
    std::string msg = sqlite3_errmsg(db_);
    if (sqlite3_get_autocommit(db_) == 0) {
      stmts_->rollback.Step();
      stmts_->rollback.Reset();
    }
    return Status::Error("commit: " + msg);
  }
  return Status::Ok();
}

std::optional<std::string> SqliteStore::Get(const Tenant& t, std::string_view kind,
                                            std::string_view name) {
  Stmt& s = stmts_->get;
  s.BindTenant(t, kind).Bind(4, name);
  std::optional<std::string> out;
  const int rc = s.Step();
  if (rc == SQLITE_ROW) out = s.Text(0);
  Note(rc);
  s.Reset();
  return out;
}

std::vector<Document> SqliteStore::List(const Tenant& t, std::string_view kind,
                                        std::string_view after, size_t limit) {
  Stmt& s = stmts_->list;
  s.BindTenant(t, kind).Bind(4, after).Bind(
      5, limit > static_cast<size_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(limit));
  std::vector<Document> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back({s.Text(0), s.Text(1)});
  Note(rc);
  s.Reset();
  return out;
}

std::vector<Document> SqliteStore::ListPrefix(const Tenant& t, std::string_view kind,
                                              std::string_view prefix, std::string_view after,
                                              size_t limit) {
  Stmt& s = stmts_->list_range;
  s.BindTenant(t, kind)
      .Bind(4, after.empty() ? prefix : after)
      .Bind(5,
            limit > static_cast<size_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(limit))
      .Bind(6, std::string(prefix) + "\xff");
  std::vector<Document> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back({s.Text(0), s.Text(1)});
  Note(rc);
  s.Reset();
  return out;
}

std::int64_t SqliteStore::DeletePrefix(const Tenant& t, std::string_view kind,
                                       std::string_view prefix) {
  Stmt& s = stmts_->del_range;
  s.BindTenant(t, kind).Bind(4, prefix).Bind(5, std::string(prefix) + "\xff");
  Note(s.Step());
  s.Reset();
  return sqlite3_changes(db_);
}

std::int64_t SqliteStore::Count(const Tenant& t, std::string_view kind) {
  Stmt& s = stmts_->count;
  s.BindTenant(t, kind);
  std::int64_t n = 0;
  const int rc = s.Step();
  if (rc == SQLITE_ROW) n = s.Int(0);
  Note(rc);
  s.Reset();
  return n;
}

void SqliteStore::Put(const Tenant& t, std::string_view kind, std::string_view name,
                      std::string_view body) {
  Stmt& s = stmts_->put;
  s.BindTenant(t, kind).Bind(4, name).Bind(5, body);
  Note(s.Step());
  s.Reset();
}

bool SqliteStore::Delete(const Tenant& t, std::string_view kind, std::string_view name) {
  Stmt& s = stmts_->del;
  s.BindTenant(t, kind).Bind(4, name);
  Note(s.Step());
  s.Reset();
  return sqlite3_changes(db_) > 0;
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir, bool durable) {
  return SqliteStore::Open(dir, durable);
}

bool Store::IsPostgresUri(std::string_view spec) {
  return spec.starts_with("postgresql://") || spec.starts_with("postgres://");
}

Result<std::unique_ptr<Store>> Store::OpenUri(const std::string& spec, bool durable) {
  if (IsPostgresUri(spec)) return OpenPostgresStore(spec);
  return Open(spec, durable);
}

}  // namespace vigil::api
