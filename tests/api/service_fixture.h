// The in-process fixture of the service tests: a Service over a fresh store in a temporary
// folder, and signed calls to it as account 111111111111 (key AKIDA) or 222222222222 (AKIDB).
// Every successful response is checked against the operation's output shape.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "api/service.h"
#include "json/value.h"

namespace vigil::api::testing_fixture {

namespace fs = std::filesystem;

constexpr std::string_view kCredentials =
    "# key secret account\n"
    "AKIDA secretA 111111111111\n"
    "AKIDB secretB 222222222222  # a comment\n";

struct Reply {
  int status = 0;
  std::string type;  // __type for errors
  std::string message;
  std::string body;
  std::optional<json::Document> doc;
  json::Value Root() const { return doc ? doc->Root() : json::Value(); }
};

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("vigil_service_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    Open();
  }
  void TearDown() override {
    service_.reset();
    fs::remove_all(dir_);
  }
  void Open(Limits limits = {}) {
    service_.reset();
    auto creds = CredentialTable::Parse(kCredentials, "creds");
    ASSERT_TRUE(creds.ok()) << creds.status().message();
    auto store = Store::Open(dir_.string());
    ASSERT_TRUE(store.ok()) << store.status().message();
    service_ = std::make_unique<Service>(std::move(*creds), std::move(*store), limits);
  }

  Reply Call(std::string_view op, std::string body, std::string key = "AKIDA",
             std::string secret = "secretA", std::string region = "us-east-1") {
    aws::HttpRequest r;
    r.body = std::move(body);
    r.headers = {{"Host", "127.0.0.1:4580"},
                 {"Content-Type", "application/x-amz-json-1.1"},
                 {"X-Amz-Target", "StarlingDoveService." + std::string(op)}};
    aws::Sign(r, {key, secret}, region, "config", now_);
    Reply reply = Send(r);
    // Every successful response has the JSON types the operation's output shape declares, so
    // botocore parses it. (Enums are not checked: AWS itself answers lastStatus "SUCCESS" where
    // the model lists "Success".)
    const ServiceModel& model = ServiceModel::Config();
    const Operation* operation = model.FindOperation(op);
    if (reply.status == 200 && operation != nullptr && operation->output >= 0) {
      const auto error = ValidateInput(model, operation->output, reply.Root());
      EXPECT_TRUE(!error || error->code != "SerializationException")
          << op << ": " << error->message << "\n"
          << reply.body;
    }
    return reply;
  }
  Reply Send(const aws::HttpRequest& r) {
    HttpResponse resp = service_->Handle(r, now_);
    Reply out;
    out.status = resp.status;
    out.body = resp.body;
    auto doc = json::Document::Parse(resp.body);
    if (doc.ok()) {
      out.type = doc->Root().Get("__type").AsText();
      out.message = doc->Root().Get("message").AsText();
      out.doc = std::move(*doc);
    }
    if (resp.status != 200) {
      bool header = false;
      for (const auto& h : resp.headers)
        header |= h.name == "x-amzn-ErrorType" && h.value == out.type;
      EXPECT_TRUE(header) << "x-amzn-ErrorType missing for " << out.type;
    }
    return out;
  }
  void PutRecorder() {
    const Reply r = Call("PutConfigurationRecorder", R"({"ConfigurationRecorder": {
        "name": "default", "roleARN": "arn:aws:iam::111111111111:role/config",
        "recordingGroup": {"allSupported": true, "includeGlobalResourceTypes": true}}})");
    ASSERT_EQ(r.status, 200) << r.body;
  }
  void PutRule(std::string_view name, std::string key = "AKIDA", std::string secret = "secretA") {
    const Reply r =
        Call("PutConfigRule",
             R"({"ConfigRule": {"ConfigRuleName": ")" + std::string(name) +
                 R"(", "Source": {"Owner": "AWS", "SourceIdentifier": "ENCRYPTED_VOLUMES"}}})",
             key, secret);
    ASSERT_EQ(r.status, 200) << r.body;
  }

  fs::path dir_;
  std::unique_ptr<Service> service_;
  EpochMillis now_ = *aws::ParseAmzDate("20260223T101530Z");
};

}  // namespace vigil::api::testing_fixture
