// `vigil serve --store postgresql://…`: real `vigil serve` processes sharing one PostgreSQL store
// (the server of pg_test_server.h), driven with boto3. Two processes on one store see each other's
// writes at once; a process killed with kill -9 under a stream of writes loses none that it
// acknowledged.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "../test_util.h"
#include "pg_test_server.h"
#include "serve_process.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;
using testing_pg::PgTestServer;
using testing_util::Output;
using testing_util::ReadFile;
using testing_util::Sh;

const std::string kVigil = std::string(VIGIL_BINARY_DIR) + "/vigil";
const std::string kClient = std::string(VIGIL_SOURCE_DIR) + "/tests/api/serve_client.py";

// Both processes' credentials: account A of serve_client.py.
constexpr const char* kCredentials = "AKIDACCOUNTA secretA 111111111111\n";

// Account A's rule put through the first endpoint must be described, updated and deleted
// through the second, and the other way round.
constexpr const char* kShared = R"py(
import sys
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

def client(endpoint):
    return boto3.client("config", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="AKIDACCOUNTA", aws_secret_access_key="secretA",
                        config=Config(retries={"max_attempts": 1}))

first, second = client(sys.argv[1]), client(sys.argv[2])
first.put_config_rule(ConfigRule={
    "ConfigRuleName": "shared-rule", "Description": "put through the first",
    "Source": {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_VERSIONING_ENABLED"}})
rule = second.describe_config_rules(ConfigRuleNames=["shared-rule"])["ConfigRules"][0]
assert rule["Description"] == "put through the first", rule
second.put_config_rule(ConfigRule={
    "ConfigRuleName": "shared-rule", "Description": "updated through the second",
    "Source": {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_VERSIONING_ENABLED"}})
again = first.describe_config_rules(ConfigRuleNames=["shared-rule"])["ConfigRules"][0]
assert again["Description"] == "updated through the second", again
assert again["ConfigRuleId"] == rule["ConfigRuleId"], (again, rule)
first.delete_config_rule(ConfigRuleName="shared-rule")
try:
    second.describe_config_rules(ConfigRuleNames=["shared-rule"])
    sys.exit("the rule deleted through the first is still described by the second")
except ClientError as e:
    assert e.response["Error"]["Code"] == "NoSuchConfigRuleException", e.response
print("shared")
)py";

bool HaveBoto3() { return Sh("python3 -c 'import boto3' 2>/dev/null").status == 0; }

// One `vigil serve --store URI` process on a free port, with its own --data folder.
class PgServe : public testing_util::ServeProcess {
 public:
  bool Start(const fs::path& dir, const std::string& store, const std::string& extra = "") {
    dir_ = dir;
    fs::create_directories(dir);
    std::ofstream(dir / "credentials") << kCredentials;
    return ServeProcess::Start(dir, "--store '" + store + "' " + extra);
  }
  std::string errors() const { return ReadFile((dir_ / "serve.err").string()); }

 private:
  fs::path dir_;
};

class ServePostgres : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveBoto3()) GTEST_SKIP() << "python3 with boto3 is needed";
    PgTestServer& pg = PgTestServer::Get();
    if (!pg.ok()) {
      if (std::getenv("CI") != nullptr) FAIL() << "PostgreSQL unavailable: " << pg.unavailable();
      GTEST_SKIP() << "PostgreSQL unavailable: " << pg.unavailable();
    }
    store_ = pg.NewSchema();
    ASSERT_FALSE(store_.empty()) << pg.unavailable();
    dir_ = fs::path(::testing::TempDir()) /
           ("vigil_serve_pg_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
            std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  std::string store_;
  fs::path dir_;
};

TEST_F(ServePostgres, TwoProcessesShareOneStore) {
  PgServe first, second;
  ASSERT_TRUE(first.Start(dir_ / "first", store_)) << first.errors();
  ASSERT_TRUE(second.Start(dir_ / "second", store_)) << second.errors();
  std::ofstream(dir_ / "shared.py") << kShared;
  const Output o = Sh("python3 " + (dir_ / "shared.py").string() + " " + first.endpoint() + " " +
                      second.endpoint() + " 2>&1");
  EXPECT_EQ(o.status, 0) << o.out;
  EXPECT_NE(o.out.find("shared"), std::string::npos) << o.out;
  // Nothing of the state went to the SQLite files of --data.
  EXPECT_FALSE(fs::exists(dir_ / "first" / "data" / "vigil-serve.db"));
}

TEST_F(ServePostgres, KillNineLosesNoAcknowledgedWrite) {
  std::vector<std::string> names;
  {
    PgServe server;
    ASSERT_TRUE(server.Start(dir_ / "killed", store_, "--max-config-rules 1000000"))
        << server.errors();
    const fs::path acked = dir_ / "acked.txt";
    const Output bg = Sh("python3 " + kClient + " " + server.endpoint() + " load_until_killed > " +
                         acked.string() + " 2>/dev/null & echo $!");
    const pid_t load = static_cast<pid_t>(std::stol(bg.out));
    for (int i = 0; i < 1200; ++i) {
      const std::string text = ReadFile(acked.string());
      if (std::count(text.begin(), text.end(), '\n') >= 20) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    server.Kill(SIGKILL);
    for (int i = 0; i < 200 && kill(load, 0) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::istringstream lines(ReadFile(acked.string()));
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty()) names.push_back(line);
    }
  }
  ASSERT_GE(names.size(), 20u) << "the load generator acknowledged too few writes";
  // Another process, with another --data folder, finds every acknowledged rule in the store.
  PgServe other;
  ASSERT_TRUE(other.Start(dir_ / "other", store_)) << other.errors();
  const Output listed = Sh("python3 " + kClient + " " + other.endpoint() + " list_all 2>&1");
  ASSERT_EQ(listed.status, 0) << listed.out;
  std::set<std::string> stored;
  std::istringstream in(listed.out);
  for (std::string line; std::getline(in, line);) stored.insert(line);
  size_t lost = 0;
  for (const std::string& n : names) lost += stored.count(n) == 0;
  EXPECT_EQ(lost, 0u) << "of " << names.size() << " acknowledged writes";
}

TEST_F(ServePostgres, RefusesToStartWithoutTheStore) {
  // A store that cannot be reached stops `vigil serve` at once, naming it without the password.
  PgServe server;
  EXPECT_FALSE(server.Start(dir_ / "unreachable",
                            "postgresql://vigil:hunter2@127.0.0.1:1/config?connect_timeout=5"));
  const std::string err = server.errors();
  EXPECT_NE(err.find("postgresql://vigil@127.0.0.1:1/config"), std::string::npos) << err;
  EXPECT_EQ(err.find("hunter2"), std::string::npos) << err;
}

}  // namespace
}  // namespace vigil
