// Resources in process: PutResourceConfig / DeleteResourceConfig (third-party types, a running
// recorder, items and history), ListDiscoveredResources, GetDiscoveredResourceCounts,
// GetResourceConfigHistory and BatchGetResourceConfig, with AWS's rules, errors, pagination and
// tenancy.
#include <gtest/gtest.h>

#include <string>

#include "json/writer.h"
#include "service_fixture.h"

namespace vigil::api {
namespace {

using testing_fixture::Reply;

constexpr const char* kType = "Acme::Billing::Ledger";

class ResourceTest : public testing_fixture::ServiceTest {
 protected:
  void StartRecorder(std::string key = "AKIDA", std::string secret = "secretA") {
    Reply r = Call("PutConfigurationRecorder", R"({"ConfigurationRecorder": {
        "name": "default", "roleARN": "arn:aws:iam::111111111111:role/config",
        "recordingGroup": {"allSupported": true, "includeGlobalResourceTypes": true}}})",
                   key, secret);
    ASSERT_EQ(r.status, 200) << r.body;
    r = Call("PutDeliveryChannel", R"({"DeliveryChannel": {"s3BucketName": "b"}})", key, secret);
    ASSERT_EQ(r.status, 200) << r.body;
    r = Call("StartConfigurationRecorder", R"({"ConfigurationRecorderName": "default"})", key,
             secret);
    ASSERT_EQ(r.status, 200) << r.body;
  }

  Reply PutItem(const std::string& id, const std::string& configuration,
                const std::string& extra = "", const std::string& type = kType,
                std::string key = "AKIDA", std::string secret = "secretA") {
    json::Writer w;
    w.String(configuration);
    return Call("PutResourceConfig",
                R"({"ResourceType": ")" + type + R"(", "SchemaVersionId": "v1", "ResourceId": ")" +
                    id + R"(", "Configuration": )" + w.str() + extra + "}",
                key, secret);
  }

  Reply History(const std::string& id, const std::string& extra = "") {
    return Call("GetResourceConfigHistory", R"({"resourceType": ")" + std::string(kType) +
                                                R"(", "resourceId": ")" + id + "\"" + extra + "}");
  }

  void Advance() { now_ += 60000; }
};

TEST_F(ResourceTest, PutNeedsARunningRecorderAndAThirdPartyType) {
  EXPECT_EQ(PutItem("l-1", R"({"a": 1})").type, "NoRunningConfigurationRecorderException");
  PutRecorder();
  EXPECT_EQ(PutItem("l-1", R"({"a": 1})").type, "NoRunningConfigurationRecorderException");
  StartRecorder();
  EXPECT_EQ(PutItem("l-1", R"({"a": 1})").status, 200);
  for (const char* type : {"AWS::EC2::Instance", "aws::x::y", "Amazon::X::Y", "Alexa::X::Y",
                           "amzn::X::Y", "Custom::X::Y", "Acme::Ledger", "Acme::::Ledger"}) {
    EXPECT_EQ(PutItem("l-1", "{}", "", type).type, "ValidationException") << type;
  }
  EXPECT_EQ(PutItem("l-1", "not json").type, "ValidationException");
  EXPECT_EQ(PutItem("l-1", "[1, 2]").type, "ValidationException");
  const std::string big = R"({"blob": ")" + std::string(70000, 'x') + "\"}";
  EXPECT_EQ(PutItem("l-1", big).type, "ValidationException");
  EXPECT_EQ(
      Call(
          "PutResourceConfig",
          R"({"ResourceType": "Acme::Billing::Ledger", "SchemaVersionId": "v 1", "ResourceId": "x", "Configuration": "{}"})")
          .type,
      "ValidationException");  // the model's pattern [A-Za-z0-9-]+
}

TEST_F(ResourceTest, ItemsAndHistory) {
  StartRecorder();
  ASSERT_EQ(
      PutItem("l-1", R"({"size": 1})", R"(, "ResourceName": "ledger", "Tags": {"env": "prod"})")
          .status,
      200);
  const EpochMillis first = now_;
  Advance();
  // The same state again records nothing.
  ASSERT_EQ(
      PutItem("l-1", R"({"size": 1})", R"(, "ResourceName": "ledger", "Tags": {"env": "prod"})")
          .status,
      200);
  Advance();
  ASSERT_EQ(
      PutItem("l-1", R"({"size": 2})", R"(, "ResourceName": "ledger", "Tags": {"env": "prod"})")
          .status,
      200);
  const EpochMillis second = now_;

  Reply r = History("l-1");
  ASSERT_EQ(r.status, 200) << r.body;
  const json::Value items = r.Root().Get("configurationItems");
  ASSERT_EQ(items.Size(), 2u) << r.body;
  // Newest first by default.
  const json::Value latest = items.At(0);
  EXPECT_EQ(latest.Get("configurationItemStatus").AsText(), "OK");
  EXPECT_EQ(latest.Get("configuration").AsText(), R"({"size":2})");
  EXPECT_EQ(latest.Get("configurationStateId").AsText(), std::to_string(second));
  EXPECT_DOUBLE_EQ(*latest.Get("configurationItemCaptureTime").Number(),
                   static_cast<double>(second) / 1000);
  EXPECT_EQ(latest.Get("accountId").AsText(), "111111111111");
  EXPECT_EQ(latest.Get("awsRegion").AsText(), "us-east-1");
  EXPECT_EQ(latest.Get("resourceName").AsText(), "ledger");
  EXPECT_EQ(latest.Get("tags").Get("env").AsText(), "prod");
  EXPECT_EQ(latest.Get("version").AsText(), "1.3");
  EXPECT_TRUE(latest.Get("vigilState").Missing());  // vigil's own members stay inside
  EXPECT_EQ(items.At(1).Get("configurationItemStatus").AsText(), "ResourceDiscovered");
  EXPECT_EQ(items.At(1).Get("configurationStateId").AsText(), std::to_string(first));

  r = History("l-1", R"(, "chronologicalOrder": "Forward")");
  EXPECT_EQ(r.Root().Get("configurationItems").At(0).Get("configurationItemStatus").AsText(),
            "ResourceDiscovered");
  // Time window: laterTime before the second item leaves the first.
  r = History("l-1", R"(, "laterTime": )" + std::to_string((second - 1000) / 1000));
  ASSERT_EQ(r.Root().Get("configurationItems").Size(), 1u) << r.body;
  EXPECT_EQ(r.Root().Get("configurationItems").At(0).Get("configurationStateId").AsText(),
            std::to_string(first));
  r = History("l-1", R"(, "earlierTime": )" + std::to_string((first + 1000) / 1000));
  ASSERT_EQ(r.Root().Get("configurationItems").Size(), 1u) << r.body;
  EXPECT_EQ(History("l-1", R"(, "earlierTime": 2000000000, "laterTime": 1000000000)").type,
            "InvalidTimeRangeException");
  // Pages of `limit`.
  r = History("l-1", R"(, "limit": 1)");
  ASSERT_EQ(r.Root().Get("configurationItems").Size(), 1u);
  const std::string token = r.Root().Get("nextToken").AsText();
  ASSERT_FALSE(token.empty());
  r = History("l-1", R"(, "limit": 1, "nextToken": ")" + token + "\"");
  ASSERT_EQ(r.Root().Get("configurationItems").Size(), 1u) << r.body;
  EXPECT_EQ(r.Root().Get("configurationItems").At(0).Get("configurationItemStatus").AsText(),
            "ResourceDiscovered");
  EXPECT_TRUE(r.Root().Get("nextToken").Missing());
  EXPECT_EQ(History("l-1", R"(, "nextToken": "bogus")").type, "InvalidNextTokenException");
  EXPECT_EQ(History("l-1", R"(, "limit": 101)").type, "ValidationException");
  EXPECT_EQ(History("l-9").type, "ResourceNotDiscoveredException");

  // Deleting adds a ResourceDeleted item; the history stays.
  Advance();
  ASSERT_EQ(Call("DeleteResourceConfig",
                 R"({"ResourceType": "Acme::Billing::Ledger", "ResourceId": "l-1"})")
                .status,
            200);
  r = History("l-1");
  ASSERT_EQ(r.Root().Get("configurationItems").Size(), 3u);
  EXPECT_EQ(r.Root().Get("configurationItems").At(0).Get("configurationItemStatus").AsText(),
            "ResourceDeleted");
  EXPECT_TRUE(r.Root().Get("configurationItems").At(0).Get("configuration").Missing());
  EXPECT_EQ(Call("DeleteResourceConfig",
                 R"({"ResourceType": "Acme::Billing::Ledger", "ResourceId": "l-9"})")
                .type,
            "ValidationException");
  // Put again after deletion: discovered anew.
  Advance();
  ASSERT_EQ(PutItem("l-1", R"({"size": 3})").status, 200);
  r = History("l-1");
  EXPECT_EQ(r.Root().Get("configurationItems").At(0).Get("configurationItemStatus").AsText(),
            "ResourceDiscovered");
  // Two puts within one millisecond still get increasing state ids.
  ASSERT_EQ(PutItem("l-1", R"({"size": 4})").status, 200);
  r = History("l-1");
  EXPECT_EQ(r.Root().Get("configurationItems").At(0).Get("configurationStateId").AsText(),
            std::to_string(now_ + 1));
}

TEST_F(ResourceTest, ListingAndCounting) {
  EXPECT_EQ(Call("ListDiscoveredResources", R"({"resourceType": "Acme::Billing::Ledger"})").type,
            "NoAvailableConfigurationRecorderException");
  StartRecorder();
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(PutItem("l-" + std::to_string(i), "{}",
                      R"(, "ResourceName": ")" + std::string(i % 2 ? "odd" : "even") + "\"")
                  .status,
              200);
  }
  ASSERT_EQ(PutItem("w-1", "{}", "", "Acme::Shop::Widget").status, 200);
  ASSERT_EQ(Call("DeleteResourceConfig",
                 R"({"ResourceType": "Acme::Billing::Ledger", "ResourceId": "l-4"})")
                .status,
            200);

  Reply r = Call("ListDiscoveredResources", R"({"resourceType": "Acme::Billing::Ledger"})");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.Root().Get("resourceIdentifiers").Size(), 4u) << r.body;
  EXPECT_EQ(r.Root().Get("resourceIdentifiers").At(0).Get("resourceId").AsText(), "l-0");
  EXPECT_EQ(r.Root().Get("resourceIdentifiers").At(0).Get("resourceType").AsText(), kType);
  EXPECT_EQ(r.Root().Get("resourceIdentifiers").At(1).Get("resourceName").AsText(), "odd");
  r = Call("ListDiscoveredResources",
           R"({"resourceType": "Acme::Billing::Ledger", "includeDeletedResources": true})");
  ASSERT_EQ(r.Root().Get("resourceIdentifiers").Size(), 5u);
  EXPECT_DOUBLE_EQ(*r.Root().Get("resourceIdentifiers").At(4).Get("resourceDeletionTime").Number(),
                   static_cast<double>(now_) / 1000);
  r = Call("ListDiscoveredResources",
           R"({"resourceType": "Acme::Billing::Ledger", "resourceIds": ["l-3", "l-1", "nope"]})");
  ASSERT_EQ(r.Root().Get("resourceIdentifiers").Size(), 2u);
  EXPECT_EQ(r.Root().Get("resourceIdentifiers").At(0).Get("resourceId").AsText(), "l-1");
  r = Call("ListDiscoveredResources",
           R"({"resourceType": "Acme::Billing::Ledger", "resourceName": "odd"})");
  EXPECT_EQ(r.Root().Get("resourceIdentifiers").Size(), 2u);
  EXPECT_EQ(
      Call(
          "ListDiscoveredResources",
          R"({"resourceType": "Acme::Billing::Ledger", "resourceName": "odd", "resourceIds": ["l-1"]})")
          .type,
      "ValidationException");
  r = Call("ListDiscoveredResources", R"({"resourceType": "AWS::EC2::Instance"})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Root().Get("resourceIdentifiers").Size(), 0u);
  // Pages.
  r = Call("ListDiscoveredResources", R"({"resourceType": "Acme::Billing::Ledger", "limit": 3})");
  ASSERT_EQ(r.Root().Get("resourceIdentifiers").Size(), 3u);
  const std::string token = r.Root().Get("nextToken").AsText();
  ASSERT_FALSE(token.empty());
  r = Call(
      "ListDiscoveredResources",
      R"({"resourceType": "Acme::Billing::Ledger", "limit": 3, "nextToken": ")" + token + "\"}");
  ASSERT_EQ(r.Root().Get("resourceIdentifiers").Size(), 1u) << r.body;
  EXPECT_EQ(r.Root().Get("resourceIdentifiers").At(0).Get("resourceId").AsText(), "l-3");
  EXPECT_EQ(Call("ListDiscoveredResources",
                 R"({"resourceType": "Acme::Shop::Widget", "nextToken": ")" + token + "\"}")
                .type,
            "InvalidNextTokenException");

  r = Call("GetDiscoveredResourceCounts", "{}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(*r.Root().Get("totalDiscoveredResources").Int(), 5);
  ASSERT_EQ(r.Root().Get("resourceCounts").Size(), 2u);
  EXPECT_EQ(r.Root().Get("resourceCounts").At(0).Get("resourceType").AsText(), kType);
  EXPECT_EQ(*r.Root().Get("resourceCounts").At(0).Get("count").Int(), 4);
  EXPECT_EQ(*r.Root().Get("resourceCounts").At(1).Get("count").Int(), 1);
  r = Call("GetDiscoveredResourceCounts", R"({"resourceTypes": ["Acme::Shop::Widget"]})");
  EXPECT_EQ(*r.Root().Get("totalDiscoveredResources").Int(), 1);
  ASSERT_EQ(r.Root().Get("resourceCounts").Size(), 1u);
  r = Call("GetDiscoveredResourceCounts", R"({"limit": 1})");
  ASSERT_EQ(r.Root().Get("resourceCounts").Size(), 1u);
  r = Call("GetDiscoveredResourceCounts",
           R"({"limit": 1, "nextToken": ")" + r.Root().Get("nextToken").AsText() + "\"}");
  ASSERT_EQ(r.Root().Get("resourceCounts").Size(), 1u) << r.body;
  EXPECT_EQ(r.Root().Get("resourceCounts").At(0).Get("resourceType").AsText(),
            "Acme::Shop::Widget");
}

TEST_F(ResourceTest, BatchGet) {
  EXPECT_EQ(
      Call("BatchGetResourceConfig",
           R"({"resourceKeys": [{"resourceType": "Acme::Billing::Ledger", "resourceId": "l-1"}]})")
          .type,
      "NoAvailableConfigurationRecorderException");
  StartRecorder();
  ASSERT_EQ(PutItem("l-1", R"({"size": 1})", R"(, "Tags": {"k": "v"})").status, 200);
  ASSERT_EQ(PutItem("l-2", "{}").status, 200);
  ASSERT_EQ(Call("DeleteResourceConfig",
                 R"({"ResourceType": "Acme::Billing::Ledger", "ResourceId": "l-2"})")
                .status,
            200);
  const Reply r =
      Call("BatchGetResourceConfig",
           R"({"resourceKeys": [{"resourceType": "Acme::Billing::Ledger", "resourceId": "l-1"},
                           {"resourceType": "Acme::Billing::Ledger", "resourceId": "l-2"},
                           {"resourceType": "AWS::S3::Bucket", "resourceId": "nope"}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.Root().Get("baseConfigurationItems").Size(), 1u) << r.body;
  const json::Value item = r.Root().Get("baseConfigurationItems").At(0);
  EXPECT_EQ(item.Get("resourceId").AsText(), "l-1");
  EXPECT_EQ(item.Get("configuration").AsText(), R"({"size":1})");
  EXPECT_TRUE(item.Get("tags").Missing());  // not a member of BaseConfigurationItem
  EXPECT_TRUE(r.Root().Get("unprocessedResourceKeys").IsArray());
  EXPECT_EQ(r.Root().Get("unprocessedResourceKeys").Size(), 0u);
  EXPECT_EQ(Call("BatchGetResourceConfig", R"({"resourceKeys": []})").type, "ValidationException");
}

TEST_F(ResourceTest, AccountsAndRegionsSeeOnlyTheirOwnResources) {
  StartRecorder();
  StartRecorder("AKIDB", "secretB");
  ASSERT_EQ(PutItem("l-1", R"({"owner": "A"})").status, 200);
  ASSERT_EQ(PutItem("l-1", R"({"owner": "B"})", "", kType, "AKIDB", "secretB").status, 200);
  Reply r =
      Call("GetResourceConfigHistory",
           R"({"resourceType": "Acme::Billing::Ledger", "resourceId": "l-1"})", "AKIDB", "secretB");
  ASSERT_EQ(r.Root().Get("configurationItems").Size(), 1u) << r.body;
  EXPECT_EQ(r.Root().Get("configurationItems").At(0).Get("configuration").AsText(),
            R"({"owner":"B"})");
  EXPECT_EQ(r.Root().Get("configurationItems").At(0).Get("accountId").AsText(), "222222222222");
  ASSERT_EQ(
      Call("DeleteResourceConfig",
           R"({"ResourceType": "Acme::Billing::Ledger", "ResourceId": "l-1"})", "AKIDB", "secretB")
          .status,
      200);
  r = Call("BatchGetResourceConfig",
           R"({"resourceKeys": [{"resourceType": "Acme::Billing::Ledger", "resourceId": "l-1"}]})");
  ASSERT_EQ(r.Root().Get("baseConfigurationItems").Size(), 1u);  // A's is untouched
  r = Call("GetDiscoveredResourceCounts", "{}", "AKIDB", "secretB");
  EXPECT_EQ(*r.Root().Get("totalDiscoveredResources").Int(), 0);
  // Another region: no recorder there.
  EXPECT_EQ(Call("ListDiscoveredResources", R"({"resourceType": "Acme::Billing::Ledger"})", "AKIDA",
                 "secretA", "eu-west-1")
                .type,
            "NoAvailableConfigurationRecorderException");
}

TEST_F(ResourceTest, SurvivesARestart) {
  StartRecorder();
  ASSERT_EQ(PutItem("l-1", "{}").status, 200);
  Open();
  const Reply r = History("l-1");
  EXPECT_EQ(r.Root().Get("configurationItems").Size(), 1u) << r.body;
}

}  // namespace
}  // namespace vigil::api
