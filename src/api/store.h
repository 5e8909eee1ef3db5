// The state of `vigil serve`: one SQLite database (`<data>/vigil-serve.db`, WAL) holding AWS
// Config objects as JSON documents, keyed by tenant (account, region), kind ("recorder",
// "delivery-channel", "config-rule", ...) and name.
//
// Every API call runs inside one transaction (Transact): its reads see a consistent state and
// its writes are committed before the response is sent, so an acknowledged write survives the
// process being killed (kill -9): SQLite's WAL with synchronous=NORMAL loses no committed
// transaction when only the process dies; with `durable = true` (synchronous=FULL) none is lost
// on power failure either.
//
// Thread-safety: Transact serialises callers; the Get/List/Put/Delete calls are only valid
// inside the function passed to Transact, on the same thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

struct sqlite3;

namespace vigil::api {

// The account and region a request acts in. Every read and write is confined to one tenant.
struct Tenant {
  std::string account_id;
  std::string region;
};

struct Document {
  std::string name;
  std::string body;  // JSON text
};

class Store {
 public:
  // Opens (creating if needed) `<dir>/vigil-serve.db`; creates `dir` if missing.
  static Result<std::unique_ptr<Store>> Open(const std::string& dir, bool durable = false);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Runs `fn` in one transaction. `fn` returns true to commit, false to roll back. A failed
  // commit (disk full, I/O error) is returned as an error and nothing of `fn` is kept.
  Status Transact(const std::function<bool()>& fn);

  std::optional<std::string> Get(const Tenant& t, std::string_view kind, std::string_view name);
  // Documents of `kind` whose name sorts after `after`, in name order, at most `limit`.
  std::vector<Document> List(const Tenant& t, std::string_view kind, std::string_view after = {},
                             size_t limit = SIZE_MAX);
  std::int64_t Count(const Tenant& t, std::string_view kind);
  // Documents of `kind` whose name starts with (and is longer than) `prefix` and sorts after
  // `after` (empty, or a name starting with `prefix`), in name order, at most `limit`. Names are
  // UTF-8, which never holds the byte 0xFF, so `prefix` + 0xFF bounds the range.
  std::vector<Document> ListPrefix(const Tenant& t, std::string_view kind, std::string_view prefix,
                                   std::string_view after = {}, size_t limit = SIZE_MAX);
  // Deletes every document of `kind` whose name starts with `prefix`; returns how many.
  std::int64_t DeletePrefix(const Tenant& t, std::string_view kind, std::string_view prefix);
  // Inserts or replaces. Errors are remembered and fail the enclosing Transact.
  void Put(const Tenant& t, std::string_view kind, std::string_view name, std::string_view body);
  // Returns false if there was no such document.
  bool Delete(const Tenant& t, std::string_view kind, std::string_view name);

 private:
  explicit Store(sqlite3* db);
  void Note(int rc);
  sqlite3* db_;
  std::string failure_;  // first SQLite error inside the current transaction
  struct Statements;
  std::unique_ptr<Statements> stmts_;
  std::mutex mu_;
};

}  // namespace vigil::api
