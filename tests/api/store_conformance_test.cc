// One suite for both store backends (src/api/store.h): every case runs against SQLite (a temporary
// folder) and PostgreSQL (a schema of its own on the server of pg_test_server.h), so the two
// keep the same semantics: byte-order names, prefixes, paging, counts, commit and rollback,
// tenant isolation, large bodies, serialised transactions within a process and across stores
// (processes) sharing one database, and persistence across reopening.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "api/pg_store.h"
#include "api/store.h"
#include "pg_test_server.h"

namespace vigil::api {
namespace {

namespace fs = std::filesystem;
using testing_pg::PgTestServer;

enum class Backend { kSqlite, kPostgres };

void PrintTo(Backend b, std::ostream* os) {
  *os << (b == Backend::kSqlite ? "SQLite" : "PostgreSQL");
}

const Tenant kA{"111111111111", "us-east-1"};
const Tenant kAWest{"111111111111", "eu-west-1"};
const Tenant kB{"222222222222", "us-east-1"};

std::vector<std::string> Names(const std::vector<Document>& docs) {
  std::vector<std::string> out;
  for (const Document& d : docs) out.push_back(d.name);
  return out;
}

class StoreConformance : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      PgTestServer& pg = PgTestServer::Get();
      if (!pg.ok()) {
        // CI must run the PostgreSQL half: scripts/install-deps installs the server.
        if (std::getenv("CI") != nullptr) FAIL() << "PostgreSQL unavailable: " << pg.unavailable();
        GTEST_SKIP() << "PostgreSQL unavailable: " << pg.unavailable();
      }
      location_ = pg.NewSchema();
      ASSERT_FALSE(location_.empty()) << pg.unavailable();
    } else {
      const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
      std::string name = std::string(info->name());
      std::replace(name.begin(), name.end(), '/', '_');
      dir_ =
          fs::path(::testing::TempDir()) / ("vigil_store_" + name + "_" + std::to_string(getpid()));
      fs::remove_all(dir_);
      location_ = dir_.string();
    }
    store_ = Open();
    ASSERT_NE(store_, nullptr);
  }

  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  bool postgres() const { return GetParam() == Backend::kPostgres; }

  std::unique_ptr<Store> Open() {
    auto s = Store::OpenUri(location_);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(*s) : nullptr;
  }

  // Runs `sql` on the store's database outside the store (what an operator or another program
  // might do).
  void Sql(const std::string& sql) {
    if (postgres()) {
      pqxx::connection c(location_);
      pqxx::nontransaction tx(c);
      tx.exec(sql);
      return;
    }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "vigil-serve.db").c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }

  // Makes every write of documents of kind `refused` fail inside the database.
  void RefuseKind() {
    if (postgres()) {
      Sql("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
          "$$BEGIN RAISE EXCEPTION 'refused by the test'; END$$");
      Sql("CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON documents FOR EACH ROW "
          "WHEN (NEW.kind = 'refused') EXECUTE FUNCTION refuse()");
    } else {
      Sql("CREATE TRIGGER refuse BEFORE INSERT ON documents WHEN NEW.kind = 'refused' "
          "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
    }
  }

  // Puts documents in one committed transaction.
  void PutAll(Store& s, const Tenant& t, std::string_view kind,
              const std::vector<std::string>& names) {
    ASSERT_TRUE(s.Transact([&] {
                   for (const std::string& n : names) s.Put(t, kind, n, "{\"n\":1}");
                   return true;
                 }).ok());
  }

  std::vector<Document> ListOf(Store& s, const Tenant& t, std::string_view kind,
                               std::string_view after = {}, size_t limit = SIZE_MAX) {
    std::vector<Document> out;
    EXPECT_TRUE(s.Transact([&] {
                   out = s.List(t, kind, after, limit);
                   return true;
                 }).ok());
    return out;
  }

  std::vector<Document> PrefixOf(Store& s, const Tenant& t, std::string_view kind,
                                 std::string_view prefix, std::string_view after = {},
                                 size_t limit = SIZE_MAX) {
    std::vector<Document> out;
    EXPECT_TRUE(s.Transact([&] {
                   out = s.ListPrefix(t, kind, prefix, after, limit);
                   return true;
                 }).ok());
    return out;
  }

  std::optional<std::string> GetOf(Store& s, const Tenant& t, std::string_view kind,
                                   std::string_view name) {
    std::optional<std::string> out;
    EXPECT_TRUE(s.Transact([&] {
                   out = s.Get(t, kind, name);
                   return true;
                 }).ok());
    return out;
  }

  std::int64_t CountOf(Store& s, const Tenant& t, std::string_view kind) {
    std::int64_t n = -1;
    EXPECT_TRUE(s.Transact([&] {
                   n = s.Count(t, kind);
                   return true;
                 }).ok());
    return n;
  }

  // Adds one to the counter document, read-modify-write, in one transaction.
  static void Increment(Store& s) {
    const Status st = s.Transact([&] {
      const auto v = s.Get(kA, "counter", "c");
      const int n = v ? std::stoi(*v) : 0;
      s.Put(kA, "counter", "c", std::to_string(n + 1));
      return true;
    });
    ASSERT_TRUE(st.ok()) << st.message();
  }

  std::string location_;
  fs::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreConformance, OrdersNamesByTheirBytes) {
  // Separator bytes, ASCII, and UTF-8 of 2, 3 and 4 bytes: byte order is code-point order.
  std::vector<std::string> names = {"b",
                                    "a",
                                    "a\x01"
                                    "b",
                                    "a\x01\x01",
                                    "a\x02",
                                    "a\x01\x7f",
                                    "Z",
                                    "\xc3\xa9t\xc3\xa9",  // été
                                    "\xe2\x82\xac",       // €
                                    "\xf0\x9f\x98\x80",   // 😀
                                    "\xc3\xa9",           // é
                                    "ab",
                                    "a b",
                                    "A",
                                    "\x01",
                                    "~"};
  PutAll(*store_, kA, "k", names);
  std::sort(names.begin(), names.end());  // std::string compares bytes as unsigned char
  EXPECT_EQ(Names(ListOf(*store_, kA, "k")), names);
  EXPECT_EQ(CountOf(*store_, kA, "k"), static_cast<std::int64_t>(names.size()));
}

TEST_P(StoreConformance, PagesWithAfterAndLimit) {
  std::vector<std::string> names;
  for (int i = 0; i < 10; ++i) names.push_back("rule-" + std::to_string(i));
  PutAll(*store_, kA, "config-rule", names);
  std::vector<std::string> seen;
  std::string after;
  int pages = 0;
  for (;;) {
    const auto page = ListOf(*store_, kA, "config-rule", after, 3);
    if (page.empty()) break;
    ASSERT_LE(page.size(), 3u);
    for (const Document& d : page) seen.push_back(d.name);
    after = page.back().name;
    ++pages;
  }
  EXPECT_EQ(pages, 4);
  EXPECT_EQ(seen, names);
  EXPECT_EQ(Names(ListOf(*store_, kA, "config-rule", "rule-5")),
            (std::vector<std::string>{"rule-6", "rule-7", "rule-8", "rule-9"}));
  EXPECT_TRUE(ListOf(*store_, kA, "config-rule", "rule-9").empty());
  EXPECT_TRUE(ListOf(*store_, kA, "config-rule", {}, 0).empty());
}

TEST_P(StoreConformance, ListsPrefixesOfWholeParts) {
  // Key parts joined by 0x01, as records.h does: "r1" must not match "r10".
  const std::string sep = "\x01";
  PutAll(*store_, kA, "evaluation",
         {"r1", "r1" + sep + "x", "r1" + sep + "y" + sep + "1", "r1" + sep + "z", "r10" + sep + "x",
          "r1" + std::string("\x02"), "r0" + sep + "a", "\xc3\xa9" + sep + "a",
          "\xc3\xa9" + sep + "\xe2\x82\xac", "\xc3\xa9\xc3\xa9" + sep + "a"});
  EXPECT_EQ(
      Names(PrefixOf(*store_, kA, "evaluation", "r1" + sep)),
      (std::vector<std::string>{"r1" + sep + "x", "r1" + sep + "y" + sep + "1", "r1" + sep + "z"}));
  // The name equal to the prefix is not listed (a name must be longer than the prefix).
  EXPECT_EQ(Names(PrefixOf(*store_, kA, "evaluation", "r1")),
            (std::vector<std::string>{"r1" + sep + "x", "r1" + sep + "y" + sep + "1",
                                      "r1" + sep + "z", "r1\x02", "r10" + sep + "x"}));
  // Paging inside the prefix.
  EXPECT_EQ(Names(PrefixOf(*store_, kA, "evaluation", "r1" + sep, "r1" + sep + "x", 1)),
            (std::vector<std::string>{"r1" + sep + "y" + sep + "1"}));
  EXPECT_EQ(Names(PrefixOf(*store_, kA, "evaluation", "r1" + sep, "r1" + sep + "z")),
            std::vector<std::string>{});
  // Non-ASCII prefixes: the 0xFF bound works above UTF-8 lead bytes.
  EXPECT_EQ(Names(PrefixOf(*store_, kA, "evaluation", "\xc3\xa9" + sep)),
            (std::vector<std::string>{"\xc3\xa9" + sep + "a", "\xc3\xa9" + sep + "\xe2\x82\xac"}));
  EXPECT_EQ(PrefixOf(*store_, kA, "evaluation", "\xc3\xa9").size(), 3u);
  EXPECT_TRUE(PrefixOf(*store_, kA, "evaluation", "nothing").empty());
}

TEST_P(StoreConformance, CountsDeletesAndReplaces) {
  PutAll(*store_, kA, "k", {"a", "b", "c"});
  PutAll(*store_, kA, "other", {"a"});
  EXPECT_EQ(CountOf(*store_, kA, "k"), 3);
  EXPECT_EQ(CountOf(*store_, kA, "none"), 0);
  bool deleted = false, again = true;
  ASSERT_TRUE(store_
                  ->Transact([&] {
                    store_->Put(kA, "k", "a", "{\"v\":2}");
                    deleted = store_->Delete(kA, "k", "b");
                    again = store_->Delete(kA, "k", "b");
                    return true;
                  })
                  .ok());
  EXPECT_TRUE(deleted);
  EXPECT_FALSE(again);
  EXPECT_EQ(GetOf(*store_, kA, "k", "a"), "{\"v\":2}");
  EXPECT_EQ(GetOf(*store_, kA, "k", "b"), std::nullopt);
  EXPECT_EQ(CountOf(*store_, kA, "k"), 2);
  EXPECT_EQ(CountOf(*store_, kA, "other"), 1);
}

TEST_P(StoreConformance, DeletesByPrefix) {
  const std::string sep = "\x01";
  PutAll(*store_, kA, "h",
         {"r1", "r1" + sep + "a", "r1" + sep + "b", "r10" + sep + "a", "r2" + sep + "a"});
  PutAll(*store_, kB, "h", {"r1" + sep + "a"});
  std::int64_t n = -1;
  ASSERT_TRUE(store_
                  ->Transact([&] {
                    n = store_->DeletePrefix(kA, "h", "r1" + sep);
                    return true;
                  })
                  .ok());
  EXPECT_EQ(n, 2);
  EXPECT_EQ(Names(ListOf(*store_, kA, "h")),
            (std::vector<std::string>{"r1", "r10" + sep + "a", "r2" + sep + "a"}));
  EXPECT_EQ(CountOf(*store_, kB, "h"), 1);  // another tenant's documents stay
  // A name equal to the prefix starts with it, and goes.
  ASSERT_TRUE(store_
                  ->Transact([&] {
                    n = store_->DeletePrefix(kA, "h", "r1");
                    return true;
                  })
                  .ok());
  EXPECT_EQ(n, 2);
  EXPECT_EQ(Names(ListOf(*store_, kA, "h")), (std::vector<std::string>{"r2" + sep + "a"}));
}

TEST_P(StoreConformance, RollsBackWhenTheFunctionSaysSo) {
  PutAll(*store_, kA, "k", {"kept"});
  const Status st = store_->Transact([&] {
    store_->Put(kA, "k", "dropped", "{}");
    store_->Put(kA, "k", "kept", "{\"changed\":true}");
    EXPECT_TRUE(store_->Delete(kA, "k", "kept"));
    // Inside the transaction its own writes are visible.
    EXPECT_EQ(store_->Get(kA, "k", "dropped"), "{}");
    return false;
  });
  EXPECT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(Names(ListOf(*store_, kA, "k")), std::vector<std::string>{"kept"});
  EXPECT_EQ(GetOf(*store_, kA, "k", "kept"), "{\"n\":1}");
}

TEST_P(StoreConformance, AFailedStatementFailsTheTransaction) {
  RefuseKind();
  PutAll(*store_, kA, "k", {"before"});
  bool ran_to_end = false;
  const Status st = store_->Transact([&] {
    store_->Put(kA, "k", "first", "{}");
    store_->Put(kA, "refused", "x", "{}");
    ran_to_end = true;
    return true;  // the function asks to commit; the failed Put must win
  });
  EXPECT_TRUE(ran_to_end);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("refused by the test"), std::string::npos) << st.message();
  EXPECT_EQ(Names(ListOf(*store_, kA, "k")), std::vector<std::string>{"before"});
  EXPECT_EQ(CountOf(*store_, kA, "refused"), 0);
  // The store goes on working.
  PutAll(*store_, kA, "k", {"after"});
  EXPECT_EQ(Names(ListOf(*store_, kA, "k")), (std::vector<std::string>{"after", "before"}));
}

TEST_P(StoreConformance, KeepsTenantsApart) {
  ASSERT_TRUE(store_
                  ->Transact([&] {
                    store_->Put(kA, "config-rule", "r", "\"A\"");
                    store_->Put(kAWest, "config-rule", "r", "\"A west\"");
                    store_->Put(kB, "config-rule", "r", "\"B\"");
                    store_->Put(kB, "config-rule", "only-b", "\"B\"");
                    store_->Put({"", ""}, "server-secret", "result-token", "\"secret\"");
                    return true;
                  })
                  .ok());
  EXPECT_EQ(GetOf(*store_, kA, "config-rule", "r"), "\"A\"");
  EXPECT_EQ(GetOf(*store_, kAWest, "config-rule", "r"), "\"A west\"");
  EXPECT_EQ(GetOf(*store_, kB, "config-rule", "r"), "\"B\"");
  EXPECT_EQ(GetOf(*store_, kA, "config-rule", "only-b"), std::nullopt);
  EXPECT_EQ(GetOf(*store_, kA, "server-secret", "result-token"), std::nullopt);
  EXPECT_EQ(GetOf(*store_, {"", ""}, "server-secret", "result-token"), "\"secret\"");
  EXPECT_EQ(CountOf(*store_, kA, "config-rule"), 1);
  EXPECT_EQ(CountOf(*store_, kB, "config-rule"), 2);
  EXPECT_EQ(Names(PrefixOf(*store_, kB, "config-rule", "only")),
            std::vector<std::string>{"only-b"});
  bool deleted = true;
  ASSERT_TRUE(store_
                  ->Transact([&] {
                    deleted = store_->Delete(kA, "config-rule", "only-b");
                    store_->DeletePrefix(kAWest, "config-rule", "");
                    return true;
                  })
                  .ok());
  EXPECT_FALSE(deleted);
  EXPECT_EQ(CountOf(*store_, kAWest, "config-rule"), 0);
  EXPECT_EQ(CountOf(*store_, kA, "config-rule"), 1);
  EXPECT_EQ(CountOf(*store_, kB, "config-rule"), 2);
}

TEST_P(StoreConformance, KeepsLargeAndArbitraryBodies) {
  // 1 MiB of JSON text with multi-byte UTF-8, and a body holding every byte value.
  std::string large = "{\"v\":\"";
  while (large.size() < (1u << 20)) large += "\xc3\xa9\xe2\x82\xac-0123456789abcdef ";
  large += "\"}";
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  ASSERT_TRUE(store_
                  ->Transact([&] {
                    store_->Put(kA, "big", "large", large);
                    store_->Put(kA, "big", "bytes", bytes);
                    store_->Put(kA, "big", "empty", "");
                    return true;
                  })
                  .ok());
  EXPECT_EQ(GetOf(*store_, kA, "big", "large"), large);
  EXPECT_EQ(GetOf(*store_, kA, "big", "bytes"), bytes);
  EXPECT_EQ(GetOf(*store_, kA, "big", "empty"), "");
  const auto all = ListOf(*store_, kA, "big");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2].name, "large");
  EXPECT_EQ(all[2].body, large);
}

TEST_P(StoreConformance, SerialisesTransactionsOfThreads) {
  constexpr int kThreads = 4, kEach = 25;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([this] {
      for (int j = 0; j < kEach; ++j) Increment(*store_);
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(GetOf(*store_, kA, "counter", "c"), std::to_string(kThreads * kEach));
}

TEST_P(StoreConformance, TwoStoresOnOneDatabaseSeeEachOther) {
  // Two Store objects on one database stand for two vigil processes.
  std::unique_ptr<Store> other = Open();
  ASSERT_NE(other, nullptr);
  PutAll(*store_, kA, "config-rule", {"from-first"});
  EXPECT_EQ(GetOf(*other, kA, "config-rule", "from-first"), "{\"n\":1}");
  ASSERT_TRUE(other
                  ->Transact([&] {
                    other->Put(kA, "config-rule", "rolled-back", "{}");
                    return false;
                  })
                  .ok());
  PutAll(*other, kA, "config-rule", {"from-second"});
  EXPECT_EQ(Names(ListOf(*store_, kA, "config-rule")),
            (std::vector<std::string>{"from-first", "from-second"}));
  // Read-modify-write from both at once loses no update: transactions are serialised across
  // stores, not only within one.
  constexpr int kEach = 30;
  std::vector<std::thread> threads;
  for (Store* s : {store_.get(), other.get(), store_.get(), other.get()}) {
    threads.emplace_back([s] {
      for (int j = 0; j < kEach; ++j) Increment(*s);
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(GetOf(*other, kA, "counter", "c"), std::to_string(4 * kEach));
}

TEST_P(StoreConformance, KeepsCommittedDataAcrossReopening) {
  PutAll(*store_, kA, "recorder", {"default"});
  ASSERT_TRUE(store_
                  ->Transact([&] {
                    store_->Put(kA, "recorder", "uncommitted", "{}");
                    return false;
                  })
                  .ok());
  store_.reset();
  store_ = Open();
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(Names(ListOf(*store_, kA, "recorder")), std::vector<std::string>{"default"});
}

TEST_P(StoreConformance, OpensConcurrently) {
  // Several processes starting at once on a new database each create the table if missing.
  if (postgres()) {
    location_ = PgTestServer::Get().NewSchema();
  } else {
    dir_ = dir_.string() + "_fresh";
    fs::remove_all(dir_);
    location_ = dir_.string();
  }
  std::vector<std::unique_ptr<Store>> stores(4);
  std::vector<std::string> errors(stores.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < stores.size(); ++i) {
    threads.emplace_back([this, i, &stores, &errors] {
      auto s = Store::OpenUri(location_);
      if (s.ok()) {
        stores[i] = std::move(*s);
      } else {
        errors[i] = s.status().message();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (size_t i = 0; i < stores.size(); ++i) {
    ASSERT_NE(stores[i], nullptr) << errors[i];
    PutAll(*stores[i], kA, "k", {"from-" + std::to_string(i)});
  }
  EXPECT_EQ(CountOf(*stores[0], kA, "k"), 4);
}

TEST_P(StoreConformance, ReconnectsWhenTheConnectionWasLost) {
  if (!postgres()) GTEST_SKIP() << "SQLite has no connection to lose";
  PutAll(*store_, kA, "k", {"before"});
  // What a server restart or an idle-connection timeout does to the store's connection.
  Sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" +
      PgTestServer::SchemaOf(location_) + "' AND pid <> pg_backend_pid()");
  PutAll(*store_, kA, "k", {"after"});
  EXPECT_EQ(Names(ListOf(*store_, kA, "k")), (std::vector<std::string>{"after", "before"}));
}

// Default (numbered) test names with a printed parameter: CTest shows
// StoreConformance/StoreConformance.<Case>/SQLite and .../PostgreSQL (gtest_discover_tests
// replaces the number by the printed value).
INSTANTIATE_TEST_SUITE_P(StoreConformance, StoreConformance,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres));

TEST(StoreUri, PicksTheBackendFromTheSpec) {
  EXPECT_TRUE(Store::IsPostgresUri("postgresql://localhost/vigil"));
  EXPECT_TRUE(Store::IsPostgresUri("postgres://u@h:5432/db?sslmode=require"));
  EXPECT_FALSE(Store::IsPostgresUri("/var/lib/vigil"));
  EXPECT_FALSE(Store::IsPostgresUri("postgresql-data"));
  EXPECT_FALSE(Store::IsPostgresUri("host=localhost dbname=vigil"));
  const fs::path dir =
      fs::path(::testing::TempDir()) / ("vigil_store_uri_" + std::to_string(getpid()));
  fs::remove_all(dir);
  auto s = Store::OpenUri(dir.string());
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_TRUE(fs::exists(dir / "vigil-serve.db"));
  fs::remove_all(dir);
}

TEST(StoreUri, MessagesNameTheUriWithoutItsPassword) {
  EXPECT_EQ(RedactUri("postgresql://vigil:hunter2@db.example:5432/config"),
            "postgresql://vigil@db.example:5432/config");
  EXPECT_EQ(RedactUri("postgres://vigil@db/config?sslmode=require&password=hunter2"),
            "postgres://vigil@db/config?sslmode=require");
  EXPECT_EQ(RedactUri("postgresql://:hunter2@db/config"), "postgresql://@db/config");
  EXPECT_EQ(RedactUri("postgresql:///config?host=/run/pg&port=5433"),
            "postgresql:///config?host=/run/pg&port=5433");
  EXPECT_EQ(RedactUri("postgresql://db/config?password=x"), "postgresql://db/config");
  // A server that is not there: the error names the URI, without the password.
  auto s = Store::OpenUri("postgresql://vigil:hunter2@127.0.0.1:1/config?connect_timeout=5");
  ASSERT_FALSE(s.ok());
  const std::string& message = s.status().message();
  EXPECT_NE(message.find("postgresql://vigil@127.0.0.1:1/config"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

}  // namespace
}  // namespace vigil::api
