#include "api/records.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>

#include "api/operation.h"
#include "api/outbox.h"
#include "aws/sigv4.h"
#include "common/strings.h"
#include "json/writer.h"

namespace vigil::api {

namespace {

constexpr char kSeparator = '\x01';
constexpr char kEscape = '\x02';
constexpr std::string_view kTokenPrefix = "vigil-rt1.";
const Tenant kServerTenant{"", ""};

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

// The token secret, made on first use. Runs inside the caller's transaction, so two first
// requests cannot make two secrets.
std::string Secret(Store& store) {
  if (auto s = store.Get(kServerTenant, "server-secret", "result-token")) {
    if (auto raw = HexDecode(*s)) return *raw;
  }
  std::random_device rd;
  std::string raw;
  for (int i = 0; i < 32; ++i) raw.push_back(static_cast<char>(rd() & 0xFF));
  store.Put(kServerTenant, "server-secret", "result-token", aws::HexEncode(raw));
  return raw;
}

bool SameBytes(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

std::optional<EpochMillis> TimestampMillis(json::Value v) {
  constexpr double kLimit = 1e12;
  if (const auto n = v.Number()) return FromEpochSeconds(std::clamp(*n, -kLimit, kLimit));
  if (const auto s = v.String()) {
    if (auto t = ParseTimestamp(*s)) return t;
    char* end = nullptr;
    const std::string text(*s);
    const double n = std::strtod(text.c_str(), &end);
    if (end != text.c_str() && *end == '\0' && std::isfinite(n)) {
      return FromEpochSeconds(std::clamp(n, -kLimit, kLimit));
    }
  }
  return std::nullopt;
}

std::string Key(const std::vector<std::string_view>& parts, bool open) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out.push_back(kSeparator);
    for (const char c : parts[i]) {
      if (c == '\0' || c == kSeparator || c == kEscape) {
        out.push_back(kEscape);
        out.push_back(static_cast<char>('0' + c));
      } else {
        out.push_back(c);
      }
    }
  }
  if (open) out.push_back(kSeparator);
  return out;
}

std::vector<std::string> SplitKey(std::string_view key) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < key.size(); ++i) {
    if (key[i] == kSeparator) {
      out.emplace_back();
    } else if (key[i] == kEscape && i + 1 < key.size()) {
      out.back().push_back(static_cast<char>(key[++i] - '0'));
    } else {
      out.back().push_back(key[i]);
    }
  }
  return out;
}

std::string EvaluationRecord::ToJson() const {
  json::Writer w;
  w.BeginObject()
      .Field("ConfigRuleName", rule_name)
      .Field("ResourceType", resource_type)
      .Field("ResourceId", resource_id)
      .Field("ComplianceType", compliance)
      .Field("Annotation", annotation)
      .Field("OrderingTimestamp", ordering_time)
      .Field("ConfigRuleInvokedTime", invoked_time)
      .Field("ResultRecordedTime", recorded_time)
      .Field("Source", source)
      .Field("EvaluationMode", evaluation_mode)
      .EndObject();
  return w.Take();
}

std::optional<EvaluationRecord> EvaluationRecord::FromJson(std::string_view text) {
  auto doc = json::Document::Parse(text);
  if (!doc.ok()) return std::nullopt;
  const json::Value v = doc->Root();
  EvaluationRecord r;
  r.rule_name = v.Get("ConfigRuleName").AsText();
  r.resource_type = v.Get("ResourceType").AsText();
  r.resource_id = v.Get("ResourceId").AsText();
  r.compliance = v.Get("ComplianceType").AsText();
  r.annotation = v.Get("Annotation").AsText();
  r.ordering_time = v.Get("OrderingTimestamp").Int().value_or(0);
  r.invoked_time = v.Get("ConfigRuleInvokedTime").Int().value_or(0);
  r.recorded_time = v.Get("ResultRecordedTime").Int().value_or(0);
  r.source = v.Get("Source").AsText();
  r.evaluation_mode = v.Get("EvaluationMode").AsText();
  if (r.evaluation_mode.empty()) r.evaluation_mode = "DETECTIVE";
  return r;
}

bool PutEvaluation(Store& store, const Tenant& t, const EvaluationRecord& r) {
  const std::string key = Key({r.rule_name, r.resource_type, r.resource_id});
  std::optional<EvaluationRecord> prev;
  if (auto old = store.Get(t, kEvaluationKind, key)) {
    prev = EvaluationRecord::FromJson(*old);
    if (prev && prev->ordering_time > r.ordering_time) return false;
  }
  const std::string body = r.ToJson();
  store.Put(t, kEvaluationKind, key, body);
  store.Put(t, kEvaluationByResourceKind, Key({r.resource_type, r.resource_id, r.rule_name}), body);
  // AWS notifies a change of ComplianceType, and the first result (oldEvaluationResult null).
  if (!prev || prev->compliance != r.compliance) {
    QueueComplianceChange(store, t, r, prev ? &*prev : nullptr, r.recorded_time);
  }
  return true;
}

void DeleteRuleEvaluations(Store& store, const Tenant& t, std::string_view rule) {
  const std::string prefix = Key({rule}, true);
  for (const Document& d : store.ListPrefix(t, kEvaluationKind, prefix)) {
    const std::vector<std::string> parts = SplitKey(d.name);
    if (parts.size() != 3) continue;
    store.Delete(t, kEvaluationByResourceKind, Key({parts[1], parts[2], parts[0]}));
  }
  store.DeletePrefix(t, kEvaluationKind, prefix);
}

void WriteEvaluationResult(const EvaluationRecord& r, json::Writer& w) {
  w.BeginObject().Key("EvaluationResultIdentifier").BeginObject();
  w.Key("EvaluationResultQualifier")
      .BeginObject()
      .Field("ConfigRuleName", r.rule_name)
      .Field("ResourceType", r.resource_type)
      .Field("ResourceId", r.resource_id)
      .Field("EvaluationMode", r.evaluation_mode)
      .EndObject();
  w.Key("OrderingTimestamp").Double(EpochSeconds(r.ordering_time));
  w.EndObject();
  w.Field("ComplianceType", r.compliance);
  w.Key("ResultRecordedTime").Double(EpochSeconds(r.recorded_time));
  w.Key("ConfigRuleInvokedTime").Double(EpochSeconds(r.invoked_time));
  if (!r.annotation.empty()) w.Field("Annotation", r.annotation);
  w.EndObject();
}

void EnsureResultTokenSecret(Store& store) { (void)Secret(store); }

std::string IssueResultToken(Store& store, const ResultTokenClaims& c) {
  json::Writer w;
  w.BeginObject()
      .Field("a", c.account_id)
      .Field("r", c.region)
      .Field("n", c.rule_name)
      .Field("i", c.rule_id)
      .Field("t", c.invoked_time)
      .Field("x", c.expires)
      .EndObject();
  const std::string signed_part = std::string(kTokenPrefix) + aws::HexEncode(w.str());
  return signed_part + "." + aws::HexEncode(aws::HmacSha256(Secret(store), signed_part));
}

std::optional<ResultTokenClaims> VerifyResultToken(Store& store, std::string_view token) {
  if (!StartsWith(token, kTokenPrefix)) return std::nullopt;
  const size_t dot = token.rfind('.');
  if (dot == std::string_view::npos || dot < kTokenPrefix.size()) return std::nullopt;
  const std::string_view signed_part = token.substr(0, dot);
  const std::optional<std::string> mac = HexDecode(token.substr(dot + 1));
  if (!mac || !SameBytes(*mac, aws::HmacSha256(Secret(store), signed_part))) return std::nullopt;
  const std::optional<std::string> payload = HexDecode(signed_part.substr(kTokenPrefix.size()));
  if (!payload) return std::nullopt;
  auto doc = json::Document::Parse(*payload);
  if (!doc.ok()) return std::nullopt;
  const json::Value v = doc->Root();
  ResultTokenClaims c;
  c.account_id = v.Get("a").AsText();
  c.region = v.Get("r").AsText();
  c.rule_name = v.Get("n").AsText();
  c.rule_id = v.Get("i").AsText();
  c.invoked_time = v.Get("t").Int().value_or(0);
  c.expires = v.Get("x").Int().value_or(0);
  return c;
}

}  // namespace vigil::api
