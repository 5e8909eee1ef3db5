#include "api/pg_store.h"

#include <poll.h>

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <utility>

namespace vigil::api {

namespace {

// Names and bodies are bytea: any byte string is kept as given, and bytea compares by bytes
// (memcmp, then length), the order SQLite gives text. The ListPrefix bound `prefix` + 0xFF is not
// valid UTF-8, so it could not be a text value in a UTF-8 database. The other key parts are plain
// ASCII; COLLATE "C" keeps their order byte-wise whatever the database's locale.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS documents(
  account text COLLATE "C" NOT NULL, region text COLLATE "C" NOT NULL,
  kind text COLLATE "C" NOT NULL, name bytea NOT NULL, body bytea NOT NULL,
  PRIMARY KEY(account, region, kind, name)))sql";

// Advisory-lock keys: "vigl" in the high half; the low half 0 serialises schema creation in the
// database, the table's oid serialises the transactions on that table (so stores in different
// schemas of one database do not wait for each other).
constexpr std::int64_t kLockSpace = std::int64_t{0x7669676c} << 32;

constexpr std::pair<const char*, const char*> kStatements[] = {
    {"vigil_get",
     "SELECT body FROM documents WHERE account=$1 AND region=$2 AND kind=$3 AND name=$4"},
    {"vigil_list",
     "SELECT name, body FROM documents WHERE account=$1 AND region=$2 AND kind=$3 AND name>$4 "
     "ORDER BY name LIMIT $5"},
    {"vigil_count", "SELECT count(*) FROM documents WHERE account=$1 AND region=$2 AND kind=$3"},
    {"vigil_put",
     "INSERT INTO documents(account, region, kind, name, body) VALUES($1, $2, $3, $4, $5) "
     "ON CONFLICT (account, region, kind, name) DO UPDATE SET body=EXCLUDED.body"},
    {"vigil_del", "DELETE FROM documents WHERE account=$1 AND region=$2 AND kind=$3 AND name=$4"},
    {"vigil_list_range",
     "SELECT name, body FROM documents WHERE account=$1 AND region=$2 AND kind=$3 AND name>$4 "
     "AND name<$6 ORDER BY name LIMIT $5"},
    {"vigil_del_range",
     "DELETE FROM documents WHERE account=$1 AND region=$2 AND kind=$3 AND name>=$4 AND "
     "name<$5"},
    {"vigil_lock", "SELECT pg_advisory_xact_lock($1)"},
};

pqxx::binarystring Bytes(std::string_view v) {
  // A default-constructed view has no data pointer; bytea wants an empty value, not NULL.
  return v.data() ? pqxx::binarystring(v.data(), v.size()) : pqxx::binarystring("", 0);
}

std::int64_t Limit(size_t limit) {
  return limit > static_cast<size_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(limit);
}

// libpq's messages end with a newline and may span lines; one line reads better in a log.
std::string OneLine(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

class PgStore final : public Store {
 public:
  explicit PgStore(std::string uri) : uri_(std::move(uri)), shown_(RedactUri(uri_)) {}

  // Connects and creates the table; fills lock_key_.
  Status Connect() {
    try {
      conn_ = std::make_unique<pqxx::connection>(uri_);
      // CREATE TABLE IF NOT EXISTS reports a NOTICE when the table exists; libpqxx would print it.
      conn_->set_variable("client_min_messages", "warning");
      {
        pqxx::work setup(*conn_);
        setup.exec_params("SELECT pg_advisory_xact_lock($1)", kLockSpace);
        setup.exec(kSchema);
        const pqxx::row oid = setup.exec1("SELECT 'documents'::regclass::oid::int8");
        lock_key_ = kLockSpace | oid[0].as<std::int64_t>();
        setup.commit();
      }
      for (const auto& [name, sql] : kStatements) conn_->prepare(name, sql);
      return Status::Ok();
    } catch (const std::exception& e) {
      conn_.reset();
      return Status::Error(Describe(e));
    }
  }

  Status Transact(const std::function<bool()>& fn) override {
    std::lock_guard lock(mu_);
    failure_.clear();
    if (Status st = Begin(); !st.ok()) return st;
    bool commit = false;
    try {
      commit = fn() && failure_.empty();
    } catch (...) {
      End(false);
      throw;
    }
    const Status end = End(commit);
    if (!failure_.empty()) return Status::Error(failure_);
    return end;
  }

  std::optional<std::string> Get(const Tenant& t, std::string_view kind,
                                 std::string_view name) override {
    auto r = Exec("vigil_get", t.account_id, t.region, std::string(kind), Bytes(name));
    if (!r || r->empty()) return std::nullopt;
    return pqxx::binarystring((*r)[0][0]).str();
  }

  std::vector<Document> List(const Tenant& t, std::string_view kind, std::string_view after,
                             size_t limit) override {
    return Documents(
        Exec("vigil_list", t.account_id, t.region, std::string(kind), Bytes(after), Limit(limit)));
  }

  std::int64_t Count(const Tenant& t, std::string_view kind) override {
    auto r = Exec("vigil_count", t.account_id, t.region, std::string(kind));
    return r && !r->empty() ? (*r)[0][0].as<std::int64_t>() : 0;
  }

  std::vector<Document> ListPrefix(const Tenant& t, std::string_view kind, std::string_view prefix,
                                   std::string_view after, size_t limit) override {
    return Documents(Exec("vigil_list_range", t.account_id, t.region, std::string(kind),
                          Bytes(after.empty() ? prefix : after), Limit(limit),
                          Bytes(std::string(prefix) + "\xff")));
  }

  std::int64_t DeletePrefix(const Tenant& t, std::string_view kind,
                            std::string_view prefix) override {
    auto r = Exec("vigil_del_range", t.account_id, t.region, std::string(kind), Bytes(prefix),
                  Bytes(std::string(prefix) + "\xff"));
    return r ? static_cast<std::int64_t>(r->affected_rows()) : 0;
  }

  void Put(const Tenant& t, std::string_view kind, std::string_view name,
           std::string_view body) override {
    Exec("vigil_put", t.account_id, t.region, std::string(kind), Bytes(name), Bytes(body));
  }

  bool Delete(const Tenant& t, std::string_view kind, std::string_view name) override {
    auto r = Exec("vigil_del", t.account_id, t.region, std::string(kind), Bytes(name));
    return r && r->affected_rows() > 0;
  }

 private:
  std::string Describe(const std::exception& e) const { return shown_ + ": " + OneLine(e.what()); }

  // Starts a transaction holding the store's lock. A connection lost since the last transaction
  // (server restart, idle timeout) is replaced once: nothing of the caller has run yet.
  Status Begin() {
    // Between transactions the server sends nothing, unless it is closing the connection (a
    // terminated backend, a server shutting down): then the socket is readable. Such a
    // connection is replaced before use (libpqxx 6.4 also leaks a result when BEGIN fails on it).
    if (conn_) {
      pollfd p{conn_->sock(), POLLIN, 0};
      if (p.fd < 0 || poll(&p, 1, 0) != 0) conn_.reset();
    }
    for (int attempt = 0;; ++attempt) {
      if (!conn_) {
        if (Status st = Connect(); !st.ok()) return st;
      }
      try {
        tx_ = std::make_unique<pqxx::work>(*conn_);
        tx_->exec_prepared("vigil_lock", lock_key_);
        return Status::Ok();
      } catch (const pqxx::broken_connection& e) {
        tx_.reset();
        conn_.reset();
        if (attempt > 0) return Status::Error(Describe(e));
      } catch (const std::exception& e) {
        tx_.reset();
        if (!conn_->is_open()) conn_.reset();
        return Status::Error(Describe(e));
      }
    }
  }

  // Commits or rolls back the open transaction.
  Status End(bool commit) {
    Status st;
    try {
      if (commit) {
        tx_->commit();
      } else {
        tx_->abort();
      }
    } catch (const pqxx::in_doubt_error& e) {
      st = Status::Error(Describe(e) + " (the commit's outcome is unknown)");
    } catch (const std::exception& e) {
      st = Status::Error(Describe(e));
    }
    tx_.reset();
    if (conn_ && !conn_->is_open()) conn_.reset();
    return st;
  }

  // Runs a prepared statement in the open transaction. After the first failure the transaction
  // is aborted on the server, so later statements are skipped and the failure fails Transact.
  template <typename... Args>
  std::optional<pqxx::result> Exec(const char* statement, Args&&... args) {
    if (!failure_.empty()) return std::nullopt;
    if (!tx_) {
      failure_ = shown_ + ": the store was used outside Transact";
      return std::nullopt;
    }
    try {
      return tx_->exec_prepared(statement, std::forward<Args>(args)...);
    } catch (const std::exception& e) {
      failure_ = Describe(e);
      return std::nullopt;
    }
  }

  static std::vector<Document> Documents(const std::optional<pqxx::result>& r) {
    std::vector<Document> out;
    if (!r) return out;
    out.reserve(r->size());
    for (const pqxx::row& row : *r) {
      out.push_back({pqxx::binarystring(row[0]).str(), pqxx::binarystring(row[1]).str()});
    }
    return out;
  }

  const std::string uri_;
  const std::string shown_;  // uri_ without its password
  std::int64_t lock_key_ = 0;
  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<pqxx::work> tx_;
  std::string failure_;  // first failed statement inside the current transaction
  std::mutex mu_;
};

}  // namespace

std::string RedactUri(std::string_view uri) {
  std::string out(uri);
  const size_t scheme = out.find("://");
  if (scheme == std::string::npos) return out;
  const size_t start = scheme + 3;
  const size_t authority_end = std::min(out.find_first_of("/?", start), out.size());
  const size_t at = out.rfind('@', authority_end);
  if (at != std::string::npos && at >= start) {
    const size_t colon = out.find(':', start);
    if (colon < at) out.erase(colon, at - colon);
  }
  // Query parameters: drop password=…
  const size_t query = out.find('?');
  if (query == std::string::npos) return out;
  std::string kept;
  size_t pos = query + 1;
  while (pos <= out.size()) {
    const size_t end = std::min(out.find('&', pos), out.size());
    const std::string_view param = std::string_view(out).substr(pos, end - pos);
    if (!param.starts_with("password=") && !param.empty()) {
      kept += kept.empty() ? "?" : "&";
      kept += param;
    }
    pos = end + 1;
  }
  return out.substr(0, query) + kept;
}

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri) {
  auto store = std::make_unique<PgStore>(uri);
  if (Status st = store->Connect(); !st.ok()) return st;
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace vigil::api
