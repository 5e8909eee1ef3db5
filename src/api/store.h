// The state of `vigil serve`: AWS Config objects as JSON documents, keyed by tenant (account,
// region), kind ("recorder", "delivery-channel", "config-rule", ...) and name. Two backends
// behind one interface, with the same semantics (tests/api/store_conformance_test.cc runs one
// suite against both):
//
// - SQLite (the default): one database `<dir>/vigil-serve.db` in WAL mode, for one process.
// - PostgreSQL (`postgresql://…` or `postgres://…`): one table `documents` in the connection's
//   schema, shared by several vigil processes.
//
// Every API call runs inside one transaction (Transact): its reads see a consistent state and
// its writes are committed before the response is sent, so an acknowledged write survives the
// process being killed (kill -9). SQLite: WAL with synchronous=NORMAL loses no committed
// transaction when only the process dies; with `durable = true` (synchronous=FULL) none is lost
// on power failure either. PostgreSQL: a commit is as durable as the server makes it
// (`synchronous_commit`); `durable` changes nothing.
//
// Transactions are serialised, within a process and across the processes sharing a database
// (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock), so a transaction
// never sees a concurrent one half done and read-modify-write needs no retry.
//
// Names and bodies are byte strings: names sort by their bytes (memcmp order), whatever they
// hold (the records use 0x01 as a separator; UTF-8 text sorts in code-point order).
//
// Thread-safety: Transact serialises callers; the Get/List/Put/Delete calls are only valid
// inside the function passed to Transact, on the same thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

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
  // Opens (creating if needed) the SQLite database `<dir>/vigil-serve.db`; creates `dir` if
  // missing.
  static Result<std::unique_ptr<Store>> Open(const std::string& dir, bool durable = false);
  // `spec` starting with `postgresql://` or `postgres://` is a libpq connection URI: opens that
  // PostgreSQL database, creating the table if missing (safe while other processes do the same).
  // Anything else is a folder, opened as Open does. Errors name the URI without its password.
  static Result<std::unique_ptr<Store>> OpenUri(const std::string& spec, bool durable = false);
  // True if OpenUri takes `spec` for a PostgreSQL URI.
  static bool IsPostgresUri(std::string_view spec);

  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Runs `fn` in one transaction. `fn` returns true to commit, false to roll back. A failed
  // statement inside `fn` (remembered by the calls below) or a failed commit (disk full, I/O
  // error, lost connection) is returned as an error and nothing of `fn` is kept. `fn` runs
  // exactly once (never retried).
  virtual Status Transact(const std::function<bool()>& fn) = 0;

  virtual std::optional<std::string> Get(const Tenant& t, std::string_view kind,
                                         std::string_view name) = 0;
  // Documents of `kind` whose name sorts after `after`, in name order, at most `limit`.
  virtual std::vector<Document> List(const Tenant& t, std::string_view kind,
                                     std::string_view after = {}, size_t limit = SIZE_MAX) = 0;
  virtual std::int64_t Count(const Tenant& t, std::string_view kind) = 0;
  // Documents of `kind` whose name starts with (and is longer than) `prefix` and sorts after
  // `after` (empty, or a name starting with `prefix`), in name order, at most `limit`. Names are
  // UTF-8, which never holds the byte 0xFF, so `prefix` + 0xFF bounds the range.
  virtual std::vector<Document> ListPrefix(const Tenant& t, std::string_view kind,
                                           std::string_view prefix, std::string_view after = {},
                                           size_t limit = SIZE_MAX) = 0;
  // Deletes every document of `kind` whose name starts with `prefix`; returns how many.
  virtual std::int64_t DeletePrefix(const Tenant& t, std::string_view kind,
                                    std::string_view prefix) = 0;
  // Inserts or replaces. Errors are remembered and fail the enclosing Transact.
  virtual void Put(const Tenant& t, std::string_view kind, std::string_view name,
                   std::string_view body) = 0;
  // Returns false if there was no such document.
  virtual bool Delete(const Tenant& t, std::string_view kind, std::string_view name) = 0;

 protected:
  Store() = default;
};

}  // namespace vigil::api
