#include "api/service.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "api/ingest.h"
#include "api/records.h"
#include "common/log.h"
#include "common/strings.h"
#include "json/writer.h"

namespace vigil::api {

namespace {

constexpr std::string_view kContentType = "application/x-amz-json-1.1";

std::string RequestId() {
  const std::string r = RandomId(32);
  return r.substr(0, 8) + "-" + r.substr(8, 4) + "-" + r.substr(12, 4) + "-" + r.substr(16, 4) +
         "-" + r.substr(20, 12);
}

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Error messages may quote request headers, which can hold any bytes; the JSON body must be valid
// UTF-8, so malformed sequences become U+FFFD.
std::string ValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = len > 0 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) {
      ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    }
    if (ok && len > 1) {
      // Reject overlong forms, surrogates and code points past U+10FFFF.
      char32_t cp = c & (0xFF >> (len + 1));
      for (size_t k = 1; k < len; ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
      static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
      ok = cp >= kMin[len] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
    }
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      AppendUtf8(out, 0xFFFD);
      ++i;
    }
  }
  return out;
}

}  // namespace

Result<CredentialTable> CredentialTable::Parse(std::string_view text, std::string_view origin) {
  CredentialTable table;
  int line_no = 0;
  for (std::string_view line : Split(text, '\n')) {
    ++line_no;
    if (const size_t hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    std::vector<std::string_view> fields;
    for (const std::string_view f : Split(line, ' ')) {
      for (const std::string_view g : Split(f, '\t')) {
        const std::string_view t = Trim(g);
        if (!t.empty()) fields.push_back(t);
      }
    }
    if (fields.empty()) continue;
    const std::string where = std::string(origin) + ":" + std::to_string(line_no) + ": ";
    if (fields.size() != 3) {
      return Status::Error(where + "expected ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID, got " +
                           std::to_string(fields.size()) + " fields");
    }
    if (fields[2].size() != 12 || !AllDigits(fields[2])) {
      return Status::Error(where + "account id '" + std::string(fields[2]) + "' is not 12 digits");
    }
    if (!table.keys_
             .emplace(std::string(fields[0]),
                      AccessKey{std::string(fields[1]), std::string(fields[2])})
             .second) {
      return Status::Error(where + "access key '" + std::string(fields[0]) +
                           "' appears more than once");
    }
  }
  if (table.keys_.empty()) return Status::Error(std::string(origin) + ": no access keys");
  return table;
}

Result<CredentialTable> CredentialTable::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot read the credentials file");
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), path);
}

const AccessKey* CredentialTable::Find(std::string_view access_key_id) const {
  const auto it = keys_.find(access_key_id);
  return it == keys_.end() ? nullptr : &it->second;
}

HttpResponse ErrorResponse(const aws::Error& error) {
  HttpResponse r;
  r.status = error.http_status;
  json::Writer w;
  w.BeginObject()
      .Field("__type", error.code)
      .Field("message", ValidUtf8(error.message))
      .EndObject();
  r.body = w.Take();
  r.headers.push_back({"x-amzn-ErrorType", error.code});
  r.headers.push_back({"x-amzn-RequestId", RequestId()});
  r.headers.push_back({"Content-Type", std::string(kContentType)});
  return r;
}

Service::Service(CredentialTable credentials, std::unique_ptr<Store> store, Limits limits)
    : credentials_(std::move(credentials)), store_(std::move(store)), limits_(limits) {
  // The result-token secret exists from the start, so a runner outside this process can sign
  // tokens with it (docs/serve.md).
  (void)store_->Transact([this] {
    EnsureResultTokenSecret(*store_);
    return true;
  });
}

std::vector<std::pair<std::string, bool>> Service::ListOperations() {
  std::vector<std::pair<std::string, bool>> out;
  const Registry& registry = Registry::Default();
  for (const Operation& op : ServiceModel::Config().operations()) {
    out.emplace_back(op.name, registry.Find(op.name) != nullptr);
  }
  return out;
}

HttpResponse Service::Handle(const aws::HttpRequest& request, EpochMillis now) const {
  const ServiceModel& model = ServiceModel::Config();
  const aws::VerifyResult auth = aws::Verify(
      request, model.endpoint_prefix(),
      [this](std::string_view key) -> std::optional<std::string> {
        const AccessKey* k = credentials_.Find(key);
        if (k == nullptr) return std::nullopt;
        return k->secret_access_key;
      },
      now);
  if (!auth.identity) return ErrorResponse(auth.error);

  const std::string* target = request.FindHeader("X-Amz-Target");
  const std::string prefix = model.target_prefix() + ".";
  const Operation* op = nullptr;
  if (target != nullptr && StartsWith(*target, prefix) && request.method == "POST") {
    op = model.FindOperation(std::string_view(*target).substr(prefix.size()));
  }
  // vigil's own operations (not in AWS's model), under their own target prefix.
  Handler vigil_handler = nullptr;
  if (op == nullptr && target != nullptr && request.method == "POST" &&
      *target == "VigilService.ImportConfigurationItems") {
    vigil_handler = &ImportConfigurationItems;
  }
  if (op == nullptr && vigil_handler == nullptr) {
    return ErrorResponse({"UnknownOperationException", ""});
  }
  const std::string op_name = op != nullptr ? op->name : *target;

  // An empty body is an empty request, as AWS treats it.
  const std::string_view body_text =
      Trim(request.body).empty() ? std::string_view("{}") : std::string_view(request.body);
  auto doc = json::Document::Parse(body_text);
  if (!doc.ok()) return ErrorResponse({"SerializationException", doc.status().message()});
  const json::Value input = doc->Root();
  if (!input.IsObject()) {
    return ErrorResponse(
        {"SerializationException", "Start of structure or map expected at the top of the request"});
  }
  if (op != nullptr && op->input >= 0) {
    if (auto error = ValidateInput(model, op->input, input)) return ErrorResponse(*error);
  }
  const Handler handler = vigil_handler ? vigil_handler : Registry::Default().Find(op->name);
  if (handler == nullptr) {
    return ErrorResponse(
        {"UnknownOperationException", "vigil serve does not implement " + op_name + " yet"});
  }

  Context ctx;
  ctx.tenant = {credentials_.Find(auth.identity->access_key_id)->account_id, auth.identity->region};
  ctx.now = now;
  ctx.store = store_.get();
  ctx.model = &model;
  ctx.limits = &limits_;
  Outcome outcome;
  const Status st = store_->Transact([&] {
    outcome = handler(ctx, input);
    return !outcome.error.has_value();
  });
  if (outcome.error) return ErrorResponse(*outcome.error);
  if (!st.ok()) {
    log::Error("vigil serve: " + op_name + ": store: " + st.message());
    return ErrorResponse({"InternalFailure",
                          "The request processing has failed because of an unknown error, "
                          "exception or failure.",
                          500});
  }
  for (const auto& listener : commit_listeners_) listener();
  HttpResponse r;
  r.body = std::move(outcome.body);
  r.headers.push_back({"x-amzn-RequestId", RequestId()});
  r.headers.push_back({"Content-Type", std::string(kContentType)});
  return r;
}

}  // namespace vigil::api
