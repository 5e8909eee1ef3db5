#include "aws/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "common/strings.h"

namespace vigil::aws {

namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool Unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

// Percent-encodes everything but unreserved characters and '/', as AWS's canonical URI wants.
std::string UriEncodePath(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    if (Unreserved(c) || c == '/') {
      out.push_back(c);
    } else {
      const auto u = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

// Removes empty, "." and ".." segments, keeping a leading and trailing '/'; the path of every
// service but S3 is normalised this way before it is encoded (again) for signing.
std::string NormalizePath(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> kept;
  for (const std::string_view seg : Split(path, '/')) {
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (!kept.empty()) kept.pop_back();
      continue;
    }
    kept.push_back(seg);
  }
  std::string out = path.front() == '/' ? "/" : "";
  for (size_t i = 0; i < kept.size(); ++i) {
    if (i > 0) out += '/';
    out += kept[i];
  }
  if (path.back() == '/' && !kept.empty()) out += '/';
  return out;
}

std::string CanonicalQuery(std::string_view query) {
  if (query.empty()) return "";
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const std::string_view part : Split(query, '&')) {
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      pairs.emplace_back(std::string(part), "");
    } else {
      pairs.emplace_back(std::string(part.substr(0, eq)), std::string(part.substr(eq + 1)));
    }
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [k, v] : pairs) {
    if (!out.empty()) out += '&';
    out += k;
    out += '=';
    out += v;
  }
  return out;
}

// Trims the value and collapses runs of whitespace into one space.
std::string HeaderValue(std::string_view v) {
  std::string out;
  bool space = false;
  for (const char c : v) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string Scope(std::string_view date, std::string_view region, std::string_view service) {
  std::string s;
  s.append(date).append("/").append(region).append("/").append(service).append("/aws4_request");
  return s;
}

std::string Join(const std::vector<std::string>& parts, char sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

Error Incomplete(std::string message) {
  return {"IncompleteSignatureException", std::move(message)};
}
Error Invalid(std::string message) { return {"InvalidSignatureException", std::move(message)}; }

// Parses "AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request,
// SignedHeaders=a;b, Signature=hex". Structural problems give IncompleteSignatureException with
// AWS's wording, one sentence per missing part.
std::optional<Authorization> ParseAuthorization(std::string_view header, Error& error) {
  const std::string quoted = "Authorization=" + std::string(header);
  std::string_view rest = Trim(header);
  if (!StartsWith(rest, kAlgorithm) ||
      (rest.size() > kAlgorithm.size() && rest[kAlgorithm.size()] != ' ')) {
    error = Incomplete("Unsupported Authorization Type. " + quoted);
    return std::nullopt;
  }
  rest.remove_prefix(kAlgorithm.size());
  std::optional<std::string_view> credential, signed_headers, signature;
  for (std::string_view part : Split(rest, ',')) {
    part = Trim(part);
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = Trim(part.substr(0, eq));
    const std::string_view value = Trim(part.substr(eq + 1));
    if (key == "Credential") credential = value;
    if (key == "SignedHeaders") signed_headers = value;
    if (key == "Signature") signature = value;
  }
  std::string missing;
  if (!credential) missing += "Authorization header requires 'Credential' parameter. ";
  if (!signature) missing += "Authorization header requires 'Signature' parameter. ";
  if (!signed_headers) missing += "Authorization header requires 'SignedHeaders' parameter. ";
  if (!missing.empty()) {
    error = Incomplete(missing + quoted);
    return std::nullopt;
  }
  const std::vector<std::string_view> scope = Split(*credential, '/');
  if (scope.size() != 5 || scope[0].empty()) {
    error = Incomplete("Credential should be scoped to a valid region. " + quoted);
    return std::nullopt;
  }
  Authorization auth;
  auth.access_key_id = std::string(scope[0]);
  auth.date = std::string(scope[1]);
  auth.region = std::string(scope[2]);
  auth.service = std::string(scope[3]);
  if (scope[4] != "aws4_request") {
    error = Invalid("Credential should be scoped with a valid terminator: 'aws4_request', not '" +
                    std::string(scope[4]) + "'. ");
    return std::nullopt;
  }
  for (const std::string_view h : Split(*signed_headers, ';')) {
    if (!h.empty()) auth.signed_headers.push_back(ToLower(h));
  }
  auth.signature = std::string(*signature);
  return auth;
}

bool ValidRegion(std::string_view region) {
  if (region.empty() || region.size() > 32) return false;
  return std::all_of(region.begin(), region.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

const std::string* HttpRequest::FindHeader(std::string_view name) const {
  for (const Header& h : headers) {
    if (IEquals(h.name, name)) return &h.value;
  }
  return nullptr;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(kHex[u >> 4]);
    out.push_back(kHex[u & 15]);
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return HexEncode({reinterpret_cast<const char*>(digest), sizeof digest});
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return {reinterpret_cast<const char*>(out), len};
}

std::string FormatAmzDate(EpochMillis t) {
  const std::time_t secs = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::optional<EpochMillis> ParseAmzDate(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  for (size_t i = 0; i < 15; ++i) {
    if (i != 8 && (text[i] < '0' || text[i] > '9')) return std::nullopt;
  }
  auto num = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  std::tm tm{};
  tm.tm_year = num(0, 4) - 1900;
  tm.tm_mon = num(4, 2) - 1;
  tm.tm_mday = num(6, 2);
  tm.tm_hour = num(9, 2);
  tm.tm_min = num(11, 2);
  tm.tm_sec = num(13, 2);
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60) {
    return std::nullopt;
  }
  return static_cast<EpochMillis>(timegm(&tm)) * 1000;
}

std::string CanonicalRequest(const HttpRequest& request,
                             const std::vector<std::string>& signed_headers,
                             std::string_view payload_hash) {
  std::string out = request.method;
  out += '\n';
  out += UriEncodePath(NormalizePath(request.path));
  out += '\n';
  out += CanonicalQuery(request.query);
  out += '\n';
  for (const std::string& name : signed_headers) {
    out += name;
    out += ':';
    bool first = true;
    for (const Header& h : request.headers) {
      if (!IEquals(h.name, name)) continue;
      if (!first) out += ',';
      first = false;
      out += HeaderValue(h.value);
    }
    out += '\n';
  }
  out += '\n';
  out += Join(signed_headers, ';');
  out += '\n';
  out += payload_hash;
  return out;
}

std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request) {
  std::string out(kAlgorithm);
  out.append("\n").append(amz_date).append("\n").append(scope).append("\n");
  out += Sha256Hex(canonical_request);
  return out;
}

std::string SigningKey(std::string_view secret, std::string_view date, std::string_view region,
                       std::string_view service) {
  const std::string k_date = HmacSha256("AWS4" + std::string(secret), date);
  const std::string k_region = HmacSha256(k_date, region);
  const std::string k_service = HmacSha256(k_region, service);
  return HmacSha256(k_service, "aws4_request");
}

void Sign(HttpRequest& request, const Credentials& credentials, std::string_view region,
          std::string_view service, EpochMillis now) {
  const std::string amz_date = FormatAmzDate(now);
  std::erase_if(request.headers, [](const Header& h) {
    return IEquals(h.name, "Authorization") || IEquals(h.name, "X-Amz-Date");
  });
  request.headers.push_back({"X-Amz-Date", amz_date});
  std::vector<std::string> names;
  for (const Header& h : request.headers) names.push_back(ToLower(h.name));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  const std::string date = amz_date.substr(0, 8);
  const std::string scope = Scope(date, region, service);
  const std::string canonical = CanonicalRequest(request, names, Sha256Hex(request.body));
  const std::string signature =
      HexEncode(HmacSha256(SigningKey(credentials.secret_access_key, date, region, service),
                           StringToSign(amz_date, scope, canonical)));
  request.headers.push_back({"Authorization", std::string(kAlgorithm) +
                                                  " Credential=" + credentials.access_key_id + "/" +
                                                  scope + ", SignedHeaders=" + Join(names, ';') +
                                                  ", Signature=" + signature});
}

VerifyResult Verify(const HttpRequest& request, std::string_view service,
                    const SecretLookup& secrets, EpochMillis now) {
  VerifyResult result;
  const std::string* header = request.FindHeader("Authorization");
  if (header == nullptr) {
    result.error = {"MissingAuthenticationTokenException",
                    "Request is missing Authentication Token"};
    return result;
  }
  std::optional<Authorization> auth = ParseAuthorization(*header, result.error);
  if (!auth) return result;
  const std::string quoted = "Authorization=" + *header;

  const std::string* date_header = request.FindHeader("X-Amz-Date");
  if (date_header == nullptr) {
    result.error = Incomplete(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        quoted);
    return result;
  }
  const std::optional<EpochMillis> signed_at = ParseAmzDate(*date_header);
  if (!signed_at) {
    result.error = Incomplete("Date must be in ISO-8601 'basic format'. Got '" + *date_header +
                              "'. See http://en.wikipedia.org/wiki/ISO_8601");
    return result;
  }
  if (std::find(auth->signed_headers.begin(), auth->signed_headers.end(), "host") ==
      auth->signed_headers.end()) {
    result.error = Incomplete(
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS "
        "Authorization. " +
        quoted);
    return result;
  }
  if (!ValidRegion(auth->region)) {
    result.error = Invalid("Credential should be scoped to a valid region. ");
    return result;
  }
  if (auth->service != service) {
    result.error =
        Invalid("Credential should be scoped to correct service: '" + std::string(service) + "'. ");
    return result;
  }
  if (auth->date != date_header->substr(0, 8)) {
    result.error = Invalid(
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
        "from HTTP: '" +
        auth->date + "' != '" + date_header->substr(0, 8) + "', from '" + *date_header + "'.");
    return result;
  }

  const std::optional<std::string> secret = secrets(auth->access_key_id);
  if (!secret) {
    result.error = {"UnrecognizedClientException",
                    "The security token included in the request is invalid."};
    return result;
  }

  if (*signed_at < now - kMaxClockSkew) {
    result.error =
        Invalid("Signature expired: " + *date_header + " is now earlier than " +
                FormatAmzDate(now - kMaxClockSkew) + " (" + FormatAmzDate(now) + " - 15 min.)");
    return result;
  }
  if (*signed_at > now + kMaxClockSkew) {
    result.error =
        Invalid("Signature not yet current: " + *date_header + " is still later than " +
                FormatAmzDate(now + kMaxClockSkew) + " (" + FormatAmzDate(now) + " + 15 min.)");
    return result;
  }

  const std::string payload_hash = Sha256Hex(request.body);
  if (const std::string* declared = request.FindHeader("X-Amz-Content-Sha256");
      declared != nullptr && *declared != payload_hash) {
    result.error =
        Invalid("The provided 'x-amz-content-sha256' header does not match what was computed.");
    return result;
  }

  std::vector<std::string> names = auth->signed_headers;
  std::sort(names.begin(), names.end());
  const std::string scope = Scope(auth->date, auth->region, auth->service);
  const std::string canonical = CanonicalRequest(request, names, payload_hash);
  const std::string to_sign = StringToSign(*date_header, scope, canonical);
  const std::string expected =
      HexEncode(HmacSha256(SigningKey(*secret, auth->date, auth->region, auth->service), to_sign));
  if (expected.size() != auth->signature.size() ||
      CRYPTO_memcmp(expected.data(), auth->signature.data(), expected.size()) != 0) {
    result.error = Invalid(
        "The request signature we calculated does not match the signature you provided. Check "
        "your AWS Secret Access Key and signing method. Consult the service documentation for "
        "details.\n\nThe Canonical String for this request should have been\n'" +
        canonical + "'\n\nThe String-to-Sign should have been\n'" + to_sign + "'\n");
    return result;
  }
  result.identity = Identity{auth->access_key_id, auth->region};
  return result;
}

}  // namespace vigil::aws
