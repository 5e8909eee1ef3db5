// AWS Signature Version 4 (header form): signing requests, as vigil's future AWS API client
// will, and verifying them, as `vigil serve` does for every call it receives.
//
// The algorithm is AWS's: a canonical request (method, canonical URI, canonical query string,
// canonical headers, signed header names, payload hash), a string to sign over its SHA-256, and
// a signing key derived from the secret by HMAC-SHA256 over date, region, service and
// "aws4_request". Verification refuses a request with the error type and message AWS gives
// (MissingAuthenticationTokenException, IncompleteSignatureException,
// UnrecognizedClientException, InvalidSignatureException), so SDKs show users what AWS would.
//
// Everything here is a pure function of its arguments (the clock is a parameter) and
// thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/time.h"

namespace vigil::aws {

// An error as an AWS service reports it: `code` is the `__type` (and x-amzn-ErrorType) of the
// JSON error body, `message` its text.
struct Error {
  std::string code;
  std::string message;
  int http_status = 400;
};

struct Header {
  std::string name;
  std::string value;
};

// The parts of an HTTP request that SigV4 covers. `path` and `query` are as sent on the wire
// (percent-encoded, no '?'); header names in any case.
struct HttpRequest {
  std::string method = "POST";
  std::string path = "/";
  std::string query;
  std::vector<Header> headers;
  std::string body;

  // First header of that name (case-insensitive), or nullptr.
  const std::string* FindHeader(std::string_view name) const;
};

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
};

// Lower-case hex of SHA-256(data).
std::string Sha256Hex(std::string_view data);
// Raw HMAC-SHA256(key, data) (32 bytes).
std::string HmacSha256(std::string_view key, std::string_view data);
std::string HexEncode(std::string_view bytes);

// "20150830T123600Z" for the given time (seconds resolution), and back. nullopt if `text` is not
// exactly that ISO 8601 basic form.
std::string FormatAmzDate(EpochMillis t);
std::optional<EpochMillis> ParseAmzDate(std::string_view text);

// The SigV4 building blocks, exposed for the known-answer tests.
// `signed_headers` are lower-case names, sorted, as in SignedHeaders=.
std::string CanonicalRequest(const HttpRequest& request,
                             const std::vector<std::string>& signed_headers,
                             std::string_view payload_hash);
std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request);
// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
std::string SigningKey(std::string_view secret, std::string_view date, std::string_view region,
                       std::string_view service);

// Signs `request` in place: sets X-Amz-Date (from `now`) and Authorization, signing every
// header present (Host must be among them) plus X-Amz-Date.
void Sign(HttpRequest& request, const Credentials& credentials, std::string_view region,
          std::string_view service, EpochMillis now);

// The parsed Authorization header.
struct Authorization {
  std::string access_key_id;
  std::string date;     // YYYYMMDD of the credential scope
  std::string region;   // the credential scope's region
  std::string service;  // the credential scope's service
  std::vector<std::string> signed_headers;
  std::string signature;  // lower-case hex
};

// Who signed a verified request.
struct Identity {
  std::string access_key_id;
  std::string region;
};

// Looks up the secret of an access key; nullopt for an unknown key.
using SecretLookup = std::function<std::optional<std::string>(std::string_view access_key_id)>;

// The largest clock difference AWS accepts between the request's date and the server's.
inline constexpr EpochMillis kMaxClockSkew = 15 * 60 * 1000;

struct VerifyResult {
  std::optional<Identity> identity;  // set when the request is authentic
  Error error;                       // otherwise, what AWS answers
};

// Verifies the header-form signature of `request` for `service` at time `now`.
VerifyResult Verify(const HttpRequest& request, std::string_view service,
                    const SecretLookup& secrets, EpochMillis now);

}  // namespace vigil::aws
