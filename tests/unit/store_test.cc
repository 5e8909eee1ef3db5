// The SQLite store: a run is saved and reported again; a second run records transitions.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "engine/engine.h"
#include "ingest/input.h"
#include "json/value.h"
#include "report/report.h"
#include "store/sqlite_store.h"

namespace vigil::store {
namespace {

void RemoveDb(const std::filesystem::path& p) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + suffix);
}

std::string VolumeFile(bool v1_encrypted) {
  return std::string(
             R"([{"resourceType":"AWS::EC2::Volume","resourceId":"vol-1","awsAccountId":"111111111111","awsRegion":"us-east-1","configurationItemCaptureTime":"2026-01-0)") +
         (v1_encrypted ? "1" : "2") + R"(T00:00:00Z","configuration":{"encrypted":)" +
         (v1_encrypted ? "true" : "false") +
         R"(,"attachments":[{}]}},{"resourceType":"AWS::EC2::Volume","resourceId":"vol-2","awsAccountId":"111111111111","awsRegion":"us-east-1","configuration":{"encrypted":false,"attachments":[{}]}}])";
}

report::ReportData RunOnce(SqliteStore& db, const std::string& file, EpochMillis when = 0) {
  (void)when;
  auto doc = json::Document::Parse(
      R"([{"ConfigRuleName":"encrypted-volumes","Source":{"Owner":"AWS","SourceIdentifier":"ENCRYPTED_VOLUMES"}}])");
  std::vector<std::string> errors;
  auto rules = engine::ResolveRules(model::ParseConfigRules(doc->Root(), "t", errors), errors);
  model::FactStore facts;
  engine::Engine e(std::move(rules), facts, {.keep_item_json = true});
  engine::Batch b(e, 0);
  EXPECT_TRUE(
      ingest::ReadItems(
          file, [&](const model::ConfigurationItem& ci) { b.Add(ci); }, [](const std::string&) {})
          .ok());
  e.Merge(std::move(b));
  e.Finish();
  auto data = report::FromEngine(e);
  data.organization = "Acme";
  data.account_names["111111111111"] = "prod-core";
  const Status st = db.SaveRun(e, data, "test");
  EXPECT_TRUE(st.ok()) << st.message();
  return data;
}

TEST(SqliteStore, ReportsAgainAndRecordsTransitions) {
  const auto path =
      std::filesystem::temp_directory_path() / ("vigil-store-" + std::to_string(getpid()) + ".db");
  RemoveDb(path);
  {
    auto db = SqliteStore::Open(path.string());
    ASSERT_TRUE(db.ok()) << db.status().message();
    auto first = RunOnce(**db, VolumeFile(true));
    EXPECT_FALSE(first.has_previous_run);
    auto second = RunOnce(**db, VolumeFile(false));
    EXPECT_TRUE(second.has_previous_run);
    ASSERT_EQ(second.transitions.size(), 1u);
    EXPECT_EQ(second.transitions[0].id, "vol-1");
    EXPECT_EQ(second.transitions[0].from, "COMPLIANT");
    EXPECT_EQ(second.transitions[0].to, "NON_COMPLIANT");
  }
  auto db = SqliteStore::Open(path.string());
  ASSERT_TRUE(db.ok());
  auto loaded = (*db)->LoadLatest();
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->organization, "Acme");
  EXPECT_EQ(loaded->account_names["111111111111"], "prod-core");
  ASSERT_EQ(loaded->rows.size(), 2u);
  EXPECT_EQ(loaded->transitions.size(), 1u);
  const auto s = report::Summarise(*loaded);
  EXPECT_EQ(s.non_compliant, 2u);
  RemoveDb(path);
}

TEST(SqliteStore, ReportOnAnEmptyDatabaseSaysWhatToDo) {
  const auto path =
      std::filesystem::temp_directory_path() / ("vigil-empty-" + std::to_string(getpid()) + ".db");
  RemoveDb(path);
  auto db = SqliteStore::Open(path.string());
  ASSERT_TRUE(db.ok());
  auto loaded = (*db)->LoadLatest();
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("vigil evaluate --db"), std::string::npos);
  RemoveDb(path);
}

}  // namespace
}  // namespace vigil::store
