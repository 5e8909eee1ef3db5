// vigil import: pushes configuration items (snapshot and history files, folders in the S3
// delivery layout, API outputs) and account facts to a running `vigil serve`, which records them
// and evaluates them against the rules in scope.
//
// Requests are signed with AWS Signature V4 like any SDK call (the key decides the account), and
// use vigil's own operation VigilService.ImportConfigurationItems (api/ingest.h): AWS Config has
// no operation that takes items of AWS resource types.
#include <httplib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "aws/sigv4.h"
#include "cli/commands.h"
#include "common/log.h"
#include "common/time.h"
#include "ingest/input.h"
#include "json/value.h"
#include "json/writer.h"
#include "model/facts.h"

namespace vigil::cli {

namespace {

struct ImportOptions {
  std::vector<std::string> paths;
  std::string endpoint;
  std::string region;
  std::string access_key_id;
  std::string secret_access_key;
  size_t batch = 500;
  bool quiet = false;
};

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

class Importer {
 public:
  explicit Importer(const ImportOptions& o) : o_(o), client_(o.endpoint) {
    client_.set_read_timeout(300, 0);
    client_.set_write_timeout(300, 0);
    client_.set_keep_alive(true);
  }

  void AddItem(std::string json) {
    bytes_ += json.size();
    items_.push_back(std::move(json));
    if (items_.size() >= o_.batch || bytes_ >= (4u << 20)) Flush();
  }
  void AddFact(std::string json) { facts_.push_back(std::move(json)); }
  // The region whose recorder delivered the next items (from the S3 delivery path): where
  // global items (IAM, awsRegion "global") are recorded.
  void SetRecordingRegion(const std::string& region) {
    if (region == recording_region_) return;
    Flush();
    recording_region_ = region;
  }

  // Sends what is pending; false once a request failed as a whole (the server is unreachable or
  // refused the caller).
  bool Flush() {
    if (items_.empty() && facts_.empty()) return ok_;
    json::Writer w;
    w.BeginObject().Key("ConfigurationItems").BeginArray();
    for (const std::string& i : items_) w.Raw(i);
    w.EndArray().Key("Facts").BeginArray();
    for (const std::string& f : facts_) w.Raw(f);
    w.EndArray();
    if (!recording_region_.empty()) w.Field("RecordingRegion", recording_region_);
    w.EndObject();
    const size_t sent = items_.size();
    items_.clear();
    facts_.clear();
    bytes_ = 0;
    if (!ok_) return false;

    aws::HttpRequest req;
    req.body = w.Take();
    std::string host = o_.endpoint;
    if (const size_t p = host.find("://"); p != std::string::npos) host = host.substr(p + 3);
    if (const size_t p = host.find('/'); p != std::string::npos) host.resize(p);
    req.headers.push_back({"Host", host});
    req.headers.push_back({"Content-Type", "application/x-amz-json-1.1"});
    req.headers.push_back({"X-Amz-Target", "VigilService.ImportConfigurationItems"});
    aws::Sign(req, {o_.access_key_id, o_.secret_access_key}, o_.region, "config", NowMillis());
    httplib::Headers headers;
    for (const auto& h : req.headers) {
      if (h.name != "Host" && h.name != "Content-Type") headers.emplace(h.name, h.value);
    }
    auto res = client_.Post("/", headers, req.body, "application/x-amz-json-1.1");
    if (!res) {
      log::Error("vigil import: cannot reach " + o_.endpoint + ": " +
                 httplib::to_string(res.error()) + " (is `vigil serve` running there?)");
      ok_ = false;
      return false;
    }
    auto doc = json::Document::Parse(res->body);
    if (res->status != 200 || !doc.ok()) {
      std::string message = res->body;
      if (doc.ok()) {
        message = doc->Root().Get("__type").AsText() + ": " + doc->Root().Get("message").AsText();
      }
      log::Error("vigil import: " + o_.endpoint + " answered HTTP " + std::to_string(res->status) +
                 ": " + message);
      ok_ = false;
      return false;
    }
    const json::Value r = doc->Root();
    recorded_ += r.Get("Recorded").Int().value_or(0);
    history_ += r.Get("History").Int().value_or(0);
    unchanged_ += r.Get("Unchanged").Int().value_or(0);
    facts_stored_ += r.Get("Facts").Int().value_or(0);
    for (const json::Value m : r.Get("Refused").Elements()) {
      ++refused_;
      log::Warn("vigil import: refused: " + m.AsText());
    }
    sent_ += sent;
    if (!o_.quiet) {
      std::fprintf(stderr, "\rvigil import: %zu items sent, %lld recorded", sent_,
                   static_cast<long long>(recorded_));
    }
    return true;
  }

  bool ok() const { return ok_; }
  size_t refused() const { return refused_; }
  void Summary() const {
    if (!o_.quiet) std::fprintf(stderr, "\n");
    std::printf(
        "%zu items sent: %lld recorded (new versions, evaluated), %lld into history only, %lld "
        "already stored, %zu refused; %lld facts stored\n",
        sent_, static_cast<long long>(recorded_), static_cast<long long>(history_),
        static_cast<long long>(unchanged_), refused_, static_cast<long long>(facts_stored_));
  }

 private:
  const ImportOptions& o_;
  httplib::Client client_;
  std::vector<std::string> items_, facts_;
  std::string recording_region_;
  size_t bytes_ = 0;
  size_t sent_ = 0, refused_ = 0;
  std::int64_t recorded_ = 0, history_ = 0, unchanged_ = 0, facts_stored_ = 0;
  bool ok_ = true;
};

int Import(ImportOptions o) {
  if (o.access_key_id.empty()) o.access_key_id = Env("AWS_ACCESS_KEY_ID");
  if (o.secret_access_key.empty()) o.secret_access_key = Env("AWS_SECRET_ACCESS_KEY");
  if (o.region.empty()) o.region = Env("AWS_REGION");
  if (o.region.empty()) o.region = Env("AWS_DEFAULT_REGION");
  if (o.region.empty()) o.region = "us-east-1";
  if (o.endpoint.empty()) o.endpoint = Env("AWS_ENDPOINT_URL");
  if (o.endpoint.empty()) {
    log::Error("vigil import: --endpoint-url is required (the URL `vigil serve` listens on)");
    return kExitUsage;
  }
  if (o.access_key_id.empty() || o.secret_access_key.empty()) {
    log::Error(
        "vigil import: no credentials: give --access-key-id and --secret-access-key, or set "
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (a key from vigil serve's --credentials "
        "file; it decides the account)");
    return kExitUsage;
  }
  if (o.batch == 0) o.batch = 1;
  std::vector<std::string> errors;
  std::vector<ingest::InputFile> files = ingest::CollectInputs(o.paths, errors);
  // Facts first: the rules judging the items read them.
  std::stable_partition(files.begin(), files.end(), [](const ingest::InputFile& f) {
    return f.kind == ingest::InputFile::Kind::kFact;
  });
  for (const std::string& e : errors) log::Error("vigil import: " + e);
  Importer importer(o);
  size_t bad = errors.size();
  for (const ingest::InputFile& f : files) {
    if (!importer.ok()) break;
    auto text = ingest::ReadInput(f.path);
    if (!text.ok()) {
      log::Error("vigil import: " + text.status().message());
      ++bad;
      continue;
    }
    if (f.kind == ingest::InputFile::Kind::kFact) {
      model::FactStore facts;
      if (Status st = ingest::LoadFact(f, *text, facts); !st.ok()) {
        log::Error("vigil import: " + st.message());
        ++bad;
        continue;
      }
      for (const auto& [account, region] : facts.Locations(f.fact_name)) {
        json::Writer w;
        w.BeginObject().Field("Name", f.fact_name).Field("Region", region).Key("Document");
        w.Raw(facts.Get(f.fact_name, account, region).ToJson());
        w.EndObject();
        importer.AddFact(w.Take());
      }
      continue;
    }
    importer.SetRecordingRegion(f.recording_region);
    const Status st = ingest::ReadItems(
        *text, [&](const model::ConfigurationItem& ci) { importer.AddItem(ci.raw.ToJson()); },
        [&](const std::string& e) {
          log::Error("vigil import: " + f.path + ": " + e);
          ++bad;
        });
    if (!st.ok()) {
      log::Error("vigil import: " + f.path + ": " + st.message());
      ++bad;
    }
  }
  importer.Flush();
  if (!importer.ok()) return kExitInputErrors;
  importer.Summary();
  return bad > 0 || importer.refused() > 0 ? kExitInputErrors : kExitOk;
}

}  // namespace

void AddImport(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ImportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "import",
      "Push configuration items and account facts to a running `vigil serve`, which records "
      "and evaluates them");
  cmd->add_option("paths", o->paths,
                  "Item files or folders (snapshots, history files, the S3 delivery layout, API "
                  "outputs, JSON Lines; .gz too), fact files; - for standard input")
      ->required();
  cmd->add_option("--endpoint-url", o->endpoint,
                  "URL of vigil serve, e.g. http://127.0.0.1:4580 (default: $AWS_ENDPOINT_URL)");
  cmd->add_option("--region", o->region,
                  "Region to sign for; items keep their own awsRegion (default: $AWS_REGION, "
                  "$AWS_DEFAULT_REGION, us-east-1)");
  cmd->add_option("--access-key-id", o->access_key_id, "Access key (default: $AWS_ACCESS_KEY_ID)");
  cmd->add_option("--secret-access-key", o->secret_access_key,
                  "Secret key (default: $AWS_SECRET_ACCESS_KEY)");
  cmd->add_option("--batch-size", o->batch, "Items per request")->capture_default_str();
  cmd->add_flag("--quiet", o->quiet, "No progress line");
  cmd->callback([o, &exit_code] { exit_code = Import(*o); });
}

}  // namespace vigil::cli
