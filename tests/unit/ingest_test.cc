// Ingest: both CI spellings, every container shape, gzip, and bad input.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "common/time.h"
#include "ingest/input.h"

namespace vigil::ingest {
namespace {
namespace fs = std::filesystem;

struct Collected {
  std::vector<std::string> ids, types, accounts, regions, configs, errors;
  std::vector<model::ItemStatus> statuses;
  std::vector<EpochMillis> captures;
  std::vector<std::string> policy_versions, tags;
};

Status Read(std::string_view text, Collected& c) {
  return ReadItems(
      text,
      [&](const model::ConfigurationItem& ci) {
        c.ids.emplace_back(ci.resource_id);
        c.types.emplace_back(ci.resource_type);
        c.accounts.emplace_back(ci.account_id);
        c.regions.emplace_back(ci.region);
        c.configs.push_back(ci.configuration.ToJson());
        c.statuses.push_back(ci.status);
        c.captures.push_back(ci.capture_time);
        c.policy_versions.emplace_back(ci.Supplementary("BucketPolicy")
                                           .Get("policyText")
                                           .Get("Version")
                                           .String()
                                           .value_or(""));
        std::string t;
        for (auto& [k, v] : ci.tags) t += std::string(k) + "=" + std::string(v) + ";";
        c.tags.push_back(t);
      },
      [&](const std::string& e) { c.errors.push_back(e); });
}

TEST(Ingest, SnapshotFileSpelling) {
  Collected c;
  ASSERT_TRUE(Read(R"({"fileVersion":"1.0","configurationItems":[
    {"configurationItemVersion":"1.3","awsAccountId":"111111111111","ARN":"arn:aws:s3:::b",
     "resourceType":"AWS::S3::Bucket","resourceId":"b","awsRegion":"us-east-1",
     "configurationItemCaptureTime":"2026-01-02T03:04:05.678Z","configurationItemStatus":"OK",
     "configurationStateId":1549956556288,"tags":{"Owner":"alice"},
     "configuration":{"name":"b"},
     "supplementaryConfiguration":{"BucketPolicy":{"policyText":"{\"Version\":\"2012-10-17\"}"}}}]})",
                   c)
                  .ok());
  ASSERT_EQ(c.ids.size(), 1u);
  EXPECT_EQ(c.accounts[0], "111111111111");
  EXPECT_EQ(c.configs[0], R"({"name":"b"})");
  EXPECT_EQ(c.captures[0], *ParseTimestamp("2026-01-02T03:04:05.678Z"));
  EXPECT_EQ(c.policy_versions[0], "");  // policyText stays the JSON string AWS wrote
  EXPECT_EQ(c.tags[0], "Owner=alice;");
}

TEST(Ingest, ApiSpellingWithStringConfigurationAndDoublyEncodedSupplementary) {
  Collected c;
  // batch-get-resource-config output: accountId, arn, configuration as a JSON string, epoch time.
  ASSERT_TRUE(Read(R"({"baseConfigurationItems":[
    {"version":"1.3","accountId":"222222222222","arn":"arn:aws:s3:::b2","resourceType":"AWS::S3::Bucket",
     "resourceId":"b2","awsRegion":"eu-west-1","configurationItemCaptureTime":1700000000.5,
     "configurationItemStatus":"ResourceDiscovered",
     "configuration":"{\"name\":\"b2\",\"tags\":[{\"key\":\"Env\",\"value\":\"prod\"}]}",
     "supplementaryConfiguration":{"BucketPolicy":"\"{\\\"policyText\\\":{\\\"Version\\\":\\\"2008-10-17\\\"}}\""}}],
    "unprocessedResourceKeys":[]})",
                   c)
                  .ok());
  ASSERT_EQ(c.ids.size(), 1u) << (c.errors.empty() ? "" : c.errors[0]);
  EXPECT_EQ(c.accounts[0], "222222222222");
  EXPECT_EQ(c.configs[0], R"({"name":"b2","tags":[{"key":"Env","value":"prod"}]})");
  EXPECT_EQ(c.captures[0], 1700000000500);
  EXPECT_EQ(c.statuses[0], model::ItemStatus::kResourceDiscovered);
  EXPECT_EQ(c.policy_versions[0], "2008-10-17");
  EXPECT_EQ(c.tags[0], "Env=prod;");  // from configuration.tags when no top-level tags
}

TEST(Ingest, HistoryOutputNotificationLambdaEventSelectAndJsonLines) {
  Collected c;
  ASSERT_TRUE(
      Read(
          R"({"configurationItems":[{"resourceType":"AWS::EC2::VPC","resourceId":"vpc-1","accountId":"1","configurationItemCaptureTime":"2026-01-01T00:00:00Z"}],"nextToken":"x"})",
          c)
          .ok());
  ASSERT_TRUE(
      Read(
          R"({"configurationItem":{"resourceType":"AWS::EC2::VPC","resourceId":"vpc-2"},"messageType":"ConfigurationItemChangeNotification"})",
          c)
          .ok());
  ASSERT_TRUE(
      Read(
          R"({"invokingEvent":"{\"configurationItem\":{\"resourceType\":\"AWS::EC2::VPC\",\"resourceId\":\"vpc-3\"}}","ruleParameters":"{}"})",
          c)
          .ok());
  ASSERT_TRUE(
      Read(
          R"({"Results":["{\"resourceType\":\"AWS::EC2::VPC\",\"resourceId\":\"vpc-4\"}"],"QueryInfo":{}})",
          c)
          .ok());
  ASSERT_TRUE(Read("{\"resourceType\":\"AWS::EC2::VPC\",\"resourceId\":\"vpc-5\"}\n\n{"
                   "\"resourceType\":\"AWS::EC2::VPC\",\"resourceId\":\"vpc-6\"}\n",
                   c)
                  .ok());
  ASSERT_TRUE(Read(R"([{"resourceType":"AWS::EC2::VPC","resourceId":"vpc-7"}])", c).ok());
  EXPECT_EQ(c.ids, (std::vector<std::string>{"vpc-1", "vpc-2", "vpc-3", "vpc-4", "vpc-5", "vpc-6",
                                             "vpc-7"}));
  EXPECT_TRUE(c.errors.empty());
}

TEST(Ingest, SnsEnvelopeAndOversizedNotification) {
  Collected c;
  ASSERT_TRUE(
      Read(
          R"({"Type":"Notification","MessageId":"m","Message":"{\"configurationItem\":{\"resourceType\":\"AWS::EC2::VPC\",\"resourceId\":\"vpc-s\"},\"messageType\":\"ConfigurationItemChangeNotification\"}"})",
          c)
          .ok());
  EXPECT_EQ(c.ids, std::vector<std::string>{"vpc-s"});
  ASSERT_TRUE(
      Read(
          R"({"configurationItemSummary":{"resourceType":"AWS::EC2::VPC","resourceId":"vpc-big"},"messageType":"OversizedConfigurationItemChangeNotification"})",
          c)
          .ok());
  EXPECT_EQ(c.ids.size(), 1u);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].find("get-resource-config-history"), std::string::npos);
}

TEST(Ingest, BadItemsAreReportedAndTheRestIsRead) {
  Collected c;
  ASSERT_TRUE(Read(R"({"configurationItems":[
    {"resourceId":"no-type"},
    {"resourceType":"AWS::EC2::VPC","resourceId":"vpc-ok"},
    {"resourceType":"AWS::EC2::VPC","resourceId":"vpc-bad","configuration":42},
    {"resourceType":"AWS::EC2::VPC","resourceId":"vpc-bad2","configuration":"{not json"},
    {"resourceType":"AWS::EC2::VPC","resourceId":"vpc-bad3","configurationItemCaptureTime":"yesterday"},
    {"resourceType":"AWS::EC2::VPC","resourceId":"vpc-bad4","configurationItemStatus":"Gone"}]})",
                   c)
                  .ok());
  EXPECT_EQ(c.ids, std::vector<std::string>{"vpc-ok"});
  ASSERT_EQ(c.errors.size(), 5u);
  EXPECT_NE(c.errors[0].find("configurationItems[0]"), std::string::npos);
  EXPECT_NE(c.errors[0].find("resourceType"), std::string::npos);
  EXPECT_NE(c.errors[1].find("scalar"), std::string::npos);
}

TEST(Ingest, MalformedJsonNamesLineAndColumn) {
  Collected c;
  const Status st = Read("{\n  \"configurationItems\": [\n    {\"resourceType\": }\n  ]\n}", c);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("line 3"), std::string::npos) << st.message();
  EXPECT_FALSE(Read("", c).ok());
  EXPECT_FALSE(Read("   \n", c).ok());
  EXPECT_FALSE(Read(R"({"something":"else"})", c).ok());
}

TEST(Ingest, JsonLinesWithABadLineKeepsTheOthers) {
  Collected c;
  ASSERT_TRUE(Read("{\"resourceType\":\"T\",\"resourceId\":\"a\"}\n{broken\n{\"resourceType\":"
                   "\"T\",\"resourceId\":\"b\"}\n",
                   c)
                  .ok());
  EXPECT_EQ(c.ids, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].find("line 2"), std::string::npos);
}

std::string Gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(compressBound(data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("vigil-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  fs::path Write(const std::string& rel, const std::string& data) const {
    const fs::path p = path_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << data;
    return p;
  }
  const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

TEST(Ingest, GzipIsDetectedByMagicAndTruncationIsAnError) {
  TempDir dir;
  const std::string json = R"({"configurationItems":[{"resourceType":"T","resourceId":"x"}]})";
  const std::string gz = Gzip(json);
  auto ok = ReadInput(dir.Write("a.json.gz", gz).string());
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(*ok, json);
  auto misnamed = ReadInput(dir.Write("b.json", gz).string());
  ASSERT_TRUE(misnamed.ok());
  EXPECT_EQ(*misnamed, json);
  auto twice = ReadInput(dir.Write("c.gz", gz + gz).string());  // concatenated members
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(*twice, json + json);
  auto cut = ReadInput(dir.Write("d.json.gz", gz.substr(0, gz.size() / 2)).string());
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.status().message().find("d.json.gz"), std::string::npos);
  EXPECT_NE(cut.status().message().find("truncated"), std::string::npos);
  EXPECT_FALSE(ReadInput((dir.path() / "missing.json").string()).ok());
}

TEST(Ingest, CollectWalksFoldersAndRecognisesFacts) {
  TempDir dir;
  dir.Write("AWSLogs/111111111111/Config/us-east-1/2026/1/2/ConfigSnapshot/s.json.gz", "x");
  dir.Write("AWSLogs/111111111111/Config/us-east-1/2026/1/2/ConfigHistory/h.json", "x");
  dir.Write("AWSLogs/.hidden/x.json", "x");
  dir.Write("AWSLogs/readme.txt", "x");
  dir.Write("facts/222222222222/eu-west-1/iam-get-account-summary.json", "{}");
  dir.Write("facts/iam-get-account-password-policy.json", "{}");
  std::vector<std::string> errors;
  const std::vector<std::string> paths = {dir.path().string(), (dir.path() / "nope").string()};
  auto files = CollectInputs(paths, errors);
  ASSERT_EQ(errors.size(), 1u);
  ASSERT_EQ(files.size(), 4u);
  int facts = 0;
  for (const auto& f : files) {
    if (f.kind != InputFile::Kind::kFact) continue;
    ++facts;
    if (f.fact_name == "iam-get-account-summary") {
      EXPECT_EQ(f.account, "222222222222");
      EXPECT_EQ(f.region, "eu-west-1");
    } else {
      EXPECT_TRUE(f.account.empty());
      model::FactStore store;
      const Status st = LoadFact(f, "{}", store);
      EXPECT_FALSE(st.ok());
      EXPECT_NE(st.message().find("<account-id>/<region>"), std::string::npos);
    }
  }
  EXPECT_EQ(facts, 2);
}

TEST(Ingest, TimestampsInEveryAwsSpelling) {
  EXPECT_EQ(*ParseTimestamp("1970-01-01T00:00:01Z"), 1000);
  EXPECT_EQ(*ParseTimestamp("2014-02-27T21:43:53.0885+0000"),
            *ParseTimestamp("2014-02-27T21:43:53.088Z"));
  EXPECT_EQ(*ParseTimestamp("2026-01-01T01:00:00+01:00"), *ParseTimestamp("2026-01-01T00:00:00Z"));
  EXPECT_EQ(*ParseTimestamp("1415333113.4159999"), 1415333113416);
  EXPECT_EQ(FormatIso8601(*ParseTimestamp("2026-02-23T10:15:30.123Z")), "2026-02-23T10:15:30.123Z");
  EXPECT_FALSE(ParseTimestamp("2026-13-01T00:00:00Z"));
  EXPECT_FALSE(ParseTimestamp("soon"));
}

}  // namespace
}  // namespace vigil::ingest
