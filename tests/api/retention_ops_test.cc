// Retention in process: PutRetentionConfiguration, DescribeRetentionConfigurations,
// DeleteRetentionConfiguration, and the pruning of item history older than the period
// (retention.h), at put time and through PruneHistory / PruneResourceHistory.
#include <gtest/gtest.h>

#include <string>

#include "api/retention.h"
#include "json/writer.h"
#include "service_fixture.h"

namespace vigil::api {
namespace {

using testing_fixture::Reply;

constexpr EpochMillis kDay = 24LL * 60 * 60 * 1000;
constexpr const char* kType = "Acme::Billing::Ledger";

class RetentionTest : public testing_fixture::ServiceTest {
 protected:
  void StartRecorder() {
    PutRecorder();
    ASSERT_EQ(Call("PutDeliveryChannel", R"({"DeliveryChannel": {"s3BucketName": "b"}})").status,
              200);
    ASSERT_EQ(
        Call("StartConfigurationRecorder", R"({"ConfigurationRecorderName": "default"})").status,
        200);
  }
  void PutItem(const std::string& id, int version) {
    json::Writer w;
    w.String(R"({"v": )" + std::to_string(version) + "}");
    const Reply r = Call("PutResourceConfig", R"({"ResourceType": ")" + std::string(kType) +
                                                  R"(", "SchemaVersionId": "v1", "ResourceId": ")" +
                                                  id + R"(", "Configuration": )" + w.str() + "}");
    ASSERT_EQ(r.status, 200) << r.body;
  }
  size_t HistorySize(const std::string& id) {
    const Reply r =
        Call("GetResourceConfigHistory", R"({"resourceType": ")" + std::string(kType) +
                                             R"(", "resourceId": ")" + id + R"(", "limit": 100})");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Root().Get("configurationItems").Size();
  }
  Tenant tenant_{"111111111111", "us-east-1"};
};

TEST_F(RetentionTest, PutDescribeDelete) {
  Reply r = Call("DescribeRetentionConfigurations", "{}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Root().Get("RetentionConfigurations").Size(), 0u);
  EXPECT_EQ(
      Call("DescribeRetentionConfigurations", R"({"RetentionConfigurationNames": ["default"]})")
          .type,
      "NoSuchRetentionConfigurationException");

  r = Call("PutRetentionConfiguration", R"({"RetentionPeriodInDays": 30})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Root().Get("RetentionConfiguration").Get("Name").AsText(), "default");
  EXPECT_EQ(r.Root().Get("RetentionConfiguration").Get("RetentionPeriodInDays").Int(), 30);
  ASSERT_EQ(Call("PutRetentionConfiguration", R"({"RetentionPeriodInDays": 2557})").status, 200);
  r = Call("DescribeRetentionConfigurations", R"({"RetentionConfigurationNames": ["default"]})");
  ASSERT_EQ(r.Root().Get("RetentionConfigurations").Size(), 1u);
  EXPECT_EQ(r.Root().Get("RetentionConfigurations").At(0).Get("RetentionPeriodInDays").Int(), 2557);
  EXPECT_EQ(
      Call("DescribeRetentionConfigurations", R"({"RetentionConfigurationNames": ["other"]})").type,
      "NoSuchRetentionConfigurationException");
  EXPECT_EQ(Call("DescribeRetentionConfigurations", R"({"NextToken": "x"})").type,
            "InvalidNextTokenException");

  // The model's range.
  EXPECT_EQ(Call("PutRetentionConfiguration", R"({"RetentionPeriodInDays": 29})").type,
            "ValidationException");
  EXPECT_EQ(Call("PutRetentionConfiguration", R"({"RetentionPeriodInDays": 2558})").type,
            "ValidationException");

  // Another account and region see none.
  EXPECT_EQ(Call("DescribeRetentionConfigurations", "{}", "AKIDB", "secretB")
                .Root()
                .Get("RetentionConfigurations")
                .Size(),
            0u);
  EXPECT_EQ(Call("DescribeRetentionConfigurations", "{}", "AKIDA", "secretA", "eu-west-1")
                .Root()
                .Get("RetentionConfigurations")
                .Size(),
            0u);

  EXPECT_EQ(Call("DeleteRetentionConfiguration", R"({"RetentionConfigurationName": "other"})").type,
            "NoSuchRetentionConfigurationException");
  EXPECT_EQ(
      Call("DeleteRetentionConfiguration", R"({"RetentionConfigurationName": "default"})").status,
      200);
  EXPECT_EQ(
      Call("DeleteRetentionConfiguration", R"({"RetentionConfigurationName": "default"})").type,
      "NoSuchRetentionConfigurationException");
}

TEST_F(RetentionTest, HistoryOlderThanThePeriodIsPruned) {
  StartRecorder();
  // Three versions of l-1 on days 0, 10 and 20; one of l-2 on day 0.
  PutItem("l-1", 1);
  PutItem("l-2", 1);
  now_ += 10 * kDay;
  PutItem("l-1", 2);
  now_ += 10 * kDay;
  PutItem("l-1", 3);
  ASSERT_EQ(HistorySize("l-1"), 3u);

  // Day 45 with a 30-day period: l-1's day-0 and day-10 items go, its newest stays; l-2's only
  // (its current state) stays however old.
  now_ += 25 * kDay;
  ASSERT_EQ(Call("PutRetentionConfiguration", R"({"RetentionPeriodInDays": 30})").status, 200);
  EXPECT_EQ(HistorySize("l-1"), 1u);
  EXPECT_EQ(HistorySize("l-2"), 1u);

  // PutResourceConfig prunes the history of the resource it writes (PruneResourceHistory):
  // l-2's day-0 item goes as its day-46 one is written.
  now_ += 1 * kDay;
  PutItem("l-2", 2);
  EXPECT_EQ(HistorySize("l-2"), 1u);
  Store& store = service_->store();
  std::int64_t removed = -1;
  ASSERT_TRUE(store
                  .Transact([&] {
                    removed = PruneResourceHistory(store, tenant_, kType, "l-2", now_);
                    return true;
                  })
                  .ok());
  EXPECT_EQ(removed, 0);  // nothing left to prune

  // The periodic worker's PruneHistory prunes what aged without new writes: at day 79, l-1's
  // day-20 and day-47 items, its day-48 item (the newest) staying.
  now_ += 1 * kDay;
  PutItem("l-1", 4);
  now_ += 1 * kDay;
  PutItem("l-1", 5);
  EXPECT_EQ(HistorySize("l-1"), 3u);  // day 20 is 28 days old: kept
  now_ += 31 * kDay;
  ASSERT_TRUE(store
                  .Transact([&] {
                    removed = PruneHistory(store, tenant_, now_);
                    return true;
                  })
                  .ok());
  EXPECT_EQ(removed, 2);
  EXPECT_EQ(HistorySize("l-1"), 1u);

  // Without a retention configuration nothing is pruned.
  ASSERT_EQ(
      Call("DeleteRetentionConfiguration", R"({"RetentionConfigurationName": "default"})").status,
      200);
  now_ += 100 * kDay;
  PutItem("l-1", 6);
  ASSERT_TRUE(store
                  .Transact([&] {
                    removed = PruneHistory(store, tenant_, now_);
                    return true;
                  })
                  .ok());
  EXPECT_EQ(removed, 0);
  EXPECT_EQ(HistorySize("l-1"), 2u);
}

}  // namespace
}  // namespace vigil::api
