// The entry point of the fuzz_api_request libFuzzer target (fuzz/fuzz_api_request.cc), kept
// header-only here so that tests/api/fuzz_request_test.cc runs the saved inputs under
// fuzz/regressions/fuzz_api_request/ through exactly the code the fuzzer runs.
//
// Input: the first line is the operation name (the X-Amz-Target suffix, or a whole target with
// its service, e.g. VigilService.ImportConfigurationItems); if the second line
// starts with "AWS4" or "Authorization:", it is the Authorization header sent as is, otherwise
// the request is signed properly with a known key; the rest is the body. The request goes
// through api::Service (signature check, target, JSON parsing, model validation, the handler
// and its store transaction). The response must be well-formed: 200 with a JSON object, or an
// error status with a JSON `__type`. Must never crash, leak or hang. Returns the status and
// the body's size.
#pragma once

#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "api/service.h"
#include "json/value.h"

namespace vigil::api {

inline Service& FuzzService() {
  static Service* service = [] {
    static char dir[] = "/tmp/vigil-fuzz-api-XXXXXX";
    if (mkdtemp(dir) == nullptr) __builtin_trap();
    std::atexit([] { std::filesystem::remove_all(dir); });
    auto creds = CredentialTable::Parse("AKIDFUZZ secret 123456789012\n", "fuzz");
    auto store = Store::Open(dir);
    if (!creds.ok() || !store.ok()) __builtin_trap();
    Limits limits;
    limits.max_config_rules = 50;
    return new Service(std::move(*creds), std::move(*store), limits);
  }();
  return *service;
}

inline std::uint64_t FuzzRequest(const std::uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto line = [&in]() {
    const size_t nl = in.find('\n');
    std::string_view l = in.substr(0, nl);
    in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
    return l;
  };
  aws::HttpRequest r;
  const std::string_view op = line();
  r.headers = {{"Host", "127.0.0.1:4580"},
               {"Content-Type", "application/x-amz-json-1.1"},
               {"X-Amz-Target", op.find('.') == std::string_view::npos
                                    ? "StarlingDoveService." + std::string(op)
                                    : std::string(op)}};
  std::string authorization;
  if (in.substr(0, 4) == "AWS4" || in.substr(0, 14) == "Authorization:") {
    authorization = std::string(line());
  }
  r.body = std::string(in);
  const EpochMillis now = 1'771'841'730'000;  // 2026-02-23T10:15:30Z
  if (authorization.empty()) {
    aws::Sign(r, {"AKIDFUZZ", "secret"}, "us-east-1", "config", now);
  } else {
    r.headers.push_back({"X-Amz-Date", "20260223T101530Z"});
    r.headers.push_back({"Authorization", authorization});
  }
  const HttpResponse resp = FuzzService().Handle(r, now);
  auto doc = json::Document::Parse(resp.body);
  if (!doc.ok() || !doc->Root().IsObject()) __builtin_trap();
  if (resp.status != 200 && doc->Root().Get("__type").AsText().empty()) __builtin_trap();
  return (static_cast<std::uint64_t>(resp.status) << 32) | resp.body.size();
}

}  // namespace vigil::api
