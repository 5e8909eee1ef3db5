// The AWS Config service as `vigil serve` offers it, independent of the HTTP server: one call
// takes a request (method, path, headers, body) and returns the response AWS's JSON 1.1
// protocol would give.
//
// Order of checks, as AWS's front end does them: the SigV4 signature (the key decides the
// account, the credential scope the region), then X-Amz-Target (`StarlingDoveService.<Op>`;
// anything else is UnknownOperationException), then the body (SerializationException for JSON
// that does not parse or has the wrong types, ValidationException for the model's constraints),
// then the operation itself inside one store transaction. An operation the model defines but
// vigil does not implement yet also answers UnknownOperationException (what an AWS endpoint
// says about an operation it does not offer), with a message saying so.
//
// Thread-safe: Handle may be called from many threads at once.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/operation.h"
#include "api/store.h"
#include "aws/sigv4.h"
#include "common/status.h"
#include "common/time.h"

namespace vigil::api {

struct AccessKey {
  std::string secret_access_key;
  std::string account_id;
};

// The --credentials file: one key per line, `ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID`
// (whitespace-separated; `#` starts a comment; blank lines ignored). Account ids are 12 digits;
// a key may appear once.
class CredentialTable {
 public:
  static Result<CredentialTable> Parse(std::string_view text, std::string_view origin);
  static Result<CredentialTable> Load(const std::string& path);
  const AccessKey* Find(std::string_view access_key_id) const;
  // The first access key id (in key order) of `account_id`, or nullptr: the key vigil gives a
  // CUSTOM_LAMBDA rule's handler to call back as the rule's account.
  const std::string* KeyForAccount(std::string_view account_id) const {
    for (const auto& [id, key] : keys_) {
      if (key.account_id == account_id) return &id;
    }
    return nullptr;
  }
  size_t size() const { return keys_.size(); }

 private:
  std::map<std::string, AccessKey, std::less<>> keys_;
};

struct HttpResponse {
  int status = 200;
  std::vector<aws::Header> headers;
  std::string body;
};

class Service {
 public:
  Service(CredentialTable credentials, std::unique_ptr<Store> store, Limits limits = {});

  HttpResponse Handle(const aws::HttpRequest& request, EpochMillis now) const;

  // Called (on the request's thread) after every request whose transaction committed, so that
  // background workers (outbox delivery, Lambda invocations) pick up what it queued at once.
  // Register before serving; listeners must be quick and thread-safe.
  void AddCommitListener(std::function<void()> listener) {
    commit_listeners_.push_back(std::move(listener));
  }
  Store& store() const { return *store_; }
  const CredentialTable& credentials() const { return credentials_; }

  // Every operation of the model, in name order, and whether vigil implements it.
  static std::vector<std::pair<std::string, bool>> ListOperations();

 private:
  CredentialTable credentials_;
  std::unique_ptr<Store> store_;
  Limits limits_;
  std::vector<std::function<void()>> commit_listeners_;
};

// An AWS JSON error response: `{"__type": code, "message": ...}` with x-amzn-ErrorType.
HttpResponse ErrorResponse(const aws::Error& error);

}  // namespace vigil::api
