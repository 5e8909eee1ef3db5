#include "api/lambda_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "api/operation.h"
#include "api/records.h"
#include "common/log.h"
#include "common/strings.h"
#include "json/value.h"
#include "json/writer.h"
#include "json/yaml.h"

extern char** environ;

namespace vigil::api {

extern const char kLambdaShimPy[];  // src/api/lambda_shim.py, embedded at build time

namespace {

namespace fs = std::filesystem;

const Tenant kQueueTenant{"", ""};
constexpr std::string_view kRuleKind = "config-rule";
constexpr std::string_view kRecorderKind = "recorder";
// Lambda's smallest memory size, what a Config rule function usually has; only reported.
constexpr int kMemoryMb = 128;

// Bumped by every QueueLambdaInvocation in this process, so that a commit listener call after a
// request that queued nothing costs no store read.
std::atomic<std::uint64_t> g_queued{0};

// The runners of this process, for WakeLambdaRunners.
std::mutex g_runners_mu;
std::set<LambdaRunner*> g_runners;

std::string ReadText(const std::string& path, bool* ok = nullptr) {
  std::ifstream in(path, std::ios::binary);
  if (ok != nullptr) *ok = static_cast<bool>(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Hex(std::uint64_t v, int digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, v >>= 4) out[static_cast<size_t>(i)] = kDigits[v & 15];
  return out;
}

// A random UUID (version 4), as Lambda's request ids are.
std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const std::string h = Hex(rng(), 16) + Hex(rng(), 16);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-4" + h.substr(13, 3) + "-" + "89ab"[rng() & 3] +
         h.substr(17, 3) + "-" + h.substr(20, 12);
}

// The function's name in its ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]), or
// the whole ARN if it is not one.
std::string FunctionName(std::string_view arn) {
  const std::vector<std::string_view> parts = Split(arn, ':');
  if (parts.size() >= 7 && parts[5] == "function") return std::string(parts[6]);
  return std::string(arn);
}

std::string FileSafe(std::string_view s) {
  std::string out;
  for (const char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_';
    out.push_back(ok ? c : '_');
  }
  return out.empty() || out[0] == '.' ? "_" + out : out;
}

std::string Capitalised(std::string_view key) {
  std::string out(key);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

// configurationItemDiff.changedProperties, in AWS's notation: "Configuration.State.Name",
// "Configuration.NetworkInterfaces.0", "Relationships.1", "SupplementaryConfiguration.X": object
// members are followed (names capitalised), list elements are compared whole, as AWS's examples
// show (docs/serve.md). AWS does not document the algorithm; this is vigil's reading of them.
void DiffValues(const std::string& path, json::Value before, json::Value after, json::Writer& w) {
  if (before.IsObject() && after.IsObject()) {
    std::set<std::string, std::less<>> seen;
    for (const json::Member m : before.Members()) {
      seen.emplace(m.key);
      DiffValues(path + "." + Capitalised(m.key), m.value, after.Get(m.key), w);
    }
    for (const json::Member m : after.Members()) {
      if (seen.count(m.key) == 0) {
        DiffValues(path + "." + Capitalised(m.key), json::Value(), m.value, w);
      }
    }
    return;
  }
  if (before.IsArray() && after.IsArray()) {
    const size_t n = std::max(before.Size(), after.Size());
    for (size_t i = 0; i < n; ++i) {
      const json::Value b = i < before.Size() ? before.At(i) : json::Value();
      const json::Value a = i < after.Size() ? after.At(i) : json::Value();
      DiffValues(path + "." + std::to_string(i), b, a, w);
    }
    return;
  }
  const bool had = !before.Missing() && !before.IsNull();
  const bool has = !after.Missing() && !after.IsNull();
  if (!had && !has) return;
  if (had && has && before.ToJson() == after.ToJson()) return;
  w.Key(path).BeginObject();
  if (had) w.Key("previousValue").Raw(before.ToJson());
  if (has) w.Key("updatedValue").Raw(after.ToJson());
  w.Field("changeType", !had ? "CREATE" : !has ? "DELETE" : "UPDATE");
  w.EndObject();
}

// An item's `configuration`: an object (the S3/notification spelling) or a JSON string (the
// API's), returned as an object.
json::Value Configuration(json::Value item, std::optional<json::Document>& holder) {
  const json::Value c = item.Get("configuration");
  if (c.IsString()) {
    if (auto doc = json::Document::Parse(*c.String()); doc.ok()) {
      holder = std::move(*doc);
      return holder->Root();
    }
  }
  return c;
}

void WriteDiff(json::Value previous, json::Value item, json::Writer& w) {
  const std::string status = item.Get("configurationItemStatus").AsText();
  const bool deleted = status == "ResourceDeleted" || status == "ResourceDeletedNotRecorded";
  w.BeginObject().Key("changedProperties").BeginObject();
  if (!previous.Missing() && !deleted) {
    std::optional<json::Document> h1, h2;
    DiffValues("Configuration", Configuration(previous, h1), Configuration(item, h2), w);
    DiffValues("Relationships", previous.Get("relationships"), item.Get("relationships"), w);
    DiffValues("SupplementaryConfiguration", previous.Get("supplementaryConfiguration"),
               item.Get("supplementaryConfiguration"), w);
  }
  w.EndObject();
  w.Field("changeType", deleted ? "DELETE" : previous.Missing() ? "CREATE" : "UPDATE");
  w.EndObject();
}

std::string Text(json::Value item, std::string_view a, std::string_view b) {
  const json::Value v = item.Get(a);
  return v.Missing() ? item.Get(b).AsText() : v.AsText();
}

void CopyMember(json::Value item, std::string_view from, std::string_view to, json::Writer& w) {
  const json::Value v = item.Get(from);
  if (!v.Missing()) w.Key(to).Raw(v.ToJson());
}

// The summary of an oversized item, with AWS's members (the Lambda event example).
void WriteSummary(json::Value previous, json::Value item, json::Writer& w) {
  const std::string status = item.Get("configurationItemStatus").AsText();
  const bool deleted = status == "ResourceDeleted" || status == "ResourceDeletedNotRecorded";
  w.BeginObject();
  w.Field("changeType", deleted ? "DELETE" : previous.Missing() ? "CREATE" : "UPDATE");
  w.Field("configurationItemVersion", Text(item, "configurationItemVersion", "version"));
  CopyMember(item, "configurationItemCaptureTime", "configurationItemCaptureTime", w);
  CopyMember(item, "configurationStateId", "configurationStateId", w);
  w.Field("awsAccountId", Text(item, "awsAccountId", "accountId"));
  CopyMember(item, "configurationItemStatus", "configurationItemStatus", w);
  CopyMember(item, "resourceType", "resourceType", w);
  CopyMember(item, "resourceId", "resourceId", w);
  const json::Value name = item.Get("resourceName");
  w.Key("resourceName").Raw(name.Missing() ? "null" : name.ToJson());
  w.Field("ARN", Text(item, "ARN", "arn"));
  CopyMember(item, "awsRegion", "awsRegion", w);
  CopyMember(item, "availabilityZone", "availabilityZone", w);
  CopyMember(item, "configurationStateMd5Hash", "configurationStateMd5Hash", w);
  CopyMember(item, "resourceCreationTime", "resourceCreationTime", w);
  w.EndObject();
}

// A time member: ISO 8601 as events show it (the store keeps epoch seconds).
void WriteTime(json::Value v, json::Writer& w) {
  if (v.IsNumber()) {
    w.String(FormatIso8601(FromEpochSeconds(*v.Number())));
  } else {
    w.Raw(v.ToJson());
  }
}

// `item` in the spelling of change notifications and Lambda events, whichever it came in: the
// API's (and the store's) `version`, `accountId`, `arn`, `configurationItemMD5Hash`, epoch
// seconds and `configuration` as a JSON string become `configurationItemVersion`,
// `awsAccountId`, `ARN`, `configurationStateMd5Hash`, ISO 8601 times and objects; vigil's own
// members (`vigil...`) are left out.
std::string NotificationItem(std::string_view text) {
  auto doc = json::Document::Parse(text);
  if (!doc.ok() || !doc->Root().IsObject()) return std::string(text);
  static const std::map<std::string_view, std::string_view> kRenamed = {
      {"version", "configurationItemVersion"},
      {"accountId", "awsAccountId"},
      {"arn", "ARN"},
      {"configurationItemMD5Hash", "configurationStateMd5Hash"}};
  json::Writer w;
  w.BeginObject();
  for (const json::Member m : doc->Root().Members()) {
    if (StartsWith(m.key, "vigil")) continue;
    const auto renamed = kRenamed.find(m.key);
    w.Key(renamed == kRenamed.end() ? m.key : renamed->second);
    if (m.key == "configurationItemCaptureTime" || m.key == "resourceCreationTime") {
      WriteTime(m.value, w);
    } else if (m.key == "configurationStateId" && m.value.IsString() && !m.value.AsText().empty() &&
               m.value.AsText().find_first_not_of("0123456789") == std::string::npos) {
      w.Raw(m.value.AsText());
    } else if (m.key == "configuration" && m.value.IsString()) {
      auto c = json::Document::Parse(*m.value.String());
      w.Raw(c.ok() ? c->Root().ToJson() : m.value.ToJson());
    } else if (m.key == "supplementaryConfiguration" && m.value.IsObject()) {
      w.BeginObject();
      for (const json::Member e : m.value.Members()) {
        w.Key(e.key);
        std::optional<json::Document> inner;
        if (e.value.IsString()) {
          if (auto d = json::Document::Parse(*e.value.String());
              d.ok() && (d->Root().IsObject() || d->Root().IsArray())) {
            inner = std::move(*d);
          }
        }
        w.Raw(inner ? inner->Root().ToJson() : e.value.ToJson());
      }
      w.EndObject();
    } else {
      w.Raw(m.value.ToJson());
    }
  }
  w.EndObject();
  return w.Take();
}

}  // namespace

std::string InvokingEvent(const LambdaTrigger& t, const std::string& account_id, EpochMillis now) {
  json::Writer w;
  w.BeginObject();
  if (t.message_type == "ScheduledNotification" || t.configuration_item.empty()) {
    // The periodic event: exactly the members of AWS's example.
    w.Field("awsAccountId", account_id)
        .Field("notificationCreationTime", FormatIso8601(now))
        .Field("messageType", "ScheduledNotification")
        .Field("recordVersion", "1.0");
    w.EndObject();
    return w.Take();
  }
  const std::string item_text = NotificationItem(t.configuration_item);
  auto item = json::Document::Parse(item_text);
  std::optional<json::Document> previous;
  if (!t.previous_item.empty()) {
    if (auto p = json::Document::Parse(NotificationItem(t.previous_item)); p.ok()) {
      previous = std::move(*p);
    }
  }
  const json::Value item_v = item.ok() ? item->Root() : json::Value();
  const json::Value prev_v = previous ? previous->Root() : json::Value();
  if (t.message_type == "OversizedConfigurationItemChangeNotification") {
    w.Key("configurationItemSummary");
    WriteSummary(prev_v, item_v, w);
    w.Field("notificationCreationTime", FormatIso8601(now))
        .Field("messageType", t.message_type)
        .Field("recordVersion", "1.0");
  } else {
    // A change notification as AWS sends it today: the diff, the item, the time, the type and
    // record version 1.3 (the devguide's shorter example omits the diff and the time).
    w.Key("configurationItemDiff");
    WriteDiff(prev_v, item_v, w);
    w.Key("configurationItem").Raw(item.ok() ? item_text : "null");
    w.Field("notificationCreationTime", FormatIso8601(now))
        .Field("messageType", "ConfigurationItemChangeNotification")
        .Field("recordVersion", "1.3");
  }
  w.EndObject();
  return w.Take();
}

void QueueLambdaInvocation(Store& store, const Tenant& tenant, const LambdaTrigger& t,
                           EpochMillis now) {
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%020lld", static_cast<long long>(now));
  json::Writer w;
  w.BeginObject()
      .Field("account", tenant.account_id)
      .Field("region", tenant.region)
      .Field("rule", t.rule_name)
      .Field("messageType", t.message_type)
      .Field("item", t.configuration_item)
      .Field("previous", t.previous_item)
      .Field("eventLeftScope", t.event_left_scope)
      .Field("queued", static_cast<std::int64_t>(now))
      .EndObject();
  store.Put(kQueueTenant, kLambdaJobKind, std::string(stamp) + "-" + RandomId(12), w.str());
  g_queued.fetch_add(1, std::memory_order_relaxed);
}

Result<std::pair<std::string, LambdaFunction>> ParseLambdaMapping(std::string_view spec) {
  const size_t eq = spec.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == spec.size()) {
    return Status::Error("--lambda wants ARN=FILE:FUNCTION, got '" + std::string(spec) + "'");
  }
  LambdaFunction f;
  std::string_view target = spec.substr(eq + 1);
  const size_t colon = target.rfind(':');
  if (colon != std::string_view::npos && target.find('/', colon) == std::string_view::npos) {
    f.handler = std::string(target.substr(colon + 1));
    target = target.substr(0, colon);
  }
  f.file = std::string(target);
  if (EndsWith(f.file, ".py") && f.handler.empty()) {
    return Status::Error("--lambda '" + std::string(spec) +
                         "': a Python file needs the handler's name (FILE.py:FUNCTION)");
  }
  return std::make_pair(std::string(spec.substr(0, eq)), std::move(f));
}

Result<std::map<std::string, LambdaFunction>> LoadLambdaConfig(const std::string& path) {
  bool ok = false;
  const std::string text = ReadText(path, &ok);
  if (!ok) return Status::Error(path + ": cannot read the Lambda configuration");
  auto json_text = json::YamlToJson(text);
  if (!json_text.ok()) return Status::Error(path + ": " + json_text.status().message());
  auto doc = json::Document::Parse(*json_text);
  if (!doc.ok() || !doc->Root().IsObject()) {
    return Status::Error(path + ": expected a map of Lambda ARNs to {file, handler, timeout, env}");
  }
  const fs::path base = fs::path(path).parent_path();
  std::map<std::string, LambdaFunction> out;
  for (const json::Member m : doc->Root().Members()) {
    const std::string where = path + ": '" + std::string(m.key) + "': ";
    if (!m.value.IsObject() || !m.value.Get("file").IsString()) {
      return Status::Error(where + "wants an object with a 'file'");
    }
    LambdaFunction f;
    fs::path file(std::string(*m.value.Get("file").String()));
    f.file = (file.is_relative() ? base / file : file).string();
    f.handler = m.value.Get("handler").AsText();
    if (EndsWith(f.file, ".py") && f.handler.empty()) {
      return Status::Error(where + "a Python file needs a 'handler'");
    }
    if (const json::Value t = m.value.Get("timeout"); !t.Missing()) {
      const std::optional<std::int64_t> s = t.Int();
      if (!s || *s < 1 || *s > 86400) return Status::Error(where + "'timeout' wants seconds");
      f.timeout_seconds = static_cast<int>(*s);
    }
    for (const json::Member e : m.value.Get("env").Members()) {
      f.env[std::string(e.key)] = e.value.AsText();
    }
    out[std::string(m.key)] = std::move(f);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

struct LambdaRunner::Job {
  std::string name;
  std::string body;
};

namespace {

struct Invocation {
  bool ok = false;
  bool cancelled = false;  // the runner stopped: record nothing, the job stays
  std::string error_code;
  std::string error_message;
};

Invocation Fail(std::string code, std::string message) {
  Invocation r;
  r.error_code = std::move(code);
  r.error_message = std::move(message);
  return r;
}

// The outcome into the rule's "rule-evaluation-status" document, keeping what other writers put
// there (the lead's evaluator, PutEvaluations' evaluation times).
void RecordInvocation(Store& store, const Tenant& t, std::string_view rule, json::Value rule_doc,
                      const Invocation& r, EpochMillis now) {
  std::set<std::string, std::less<>> mine = {"ConfigRuleName", "ConfigRuleArn", "ConfigRuleId",
                                             "FirstEvaluationStarted"};
  if (r.ok) {
    mine.insert("LastSuccessfulInvocationTime");
  } else {
    mine.insert({"LastFailedInvocationTime", "LastErrorCode", "LastErrorMessage"});
  }
  json::Writer w;
  w.BeginObject();
  std::optional<json::Document> old;
  if (auto text = store.Get(t, kRuleEvaluationStatusKind, rule)) {
    if (auto d = json::Document::Parse(*text); d.ok()) old = std::move(*d);
  }
  if (old) {
    for (const json::Member m : old->Root().Members()) {
      if (mine.count(m.key) == 0) w.Key(m.key).Raw(m.value.ToJson());
    }
  }
  w.Field("ConfigRuleName", rule)
      .Field("ConfigRuleArn", rule_doc.Get("ConfigRuleArn").AsText())
      .Field("ConfigRuleId", rule_doc.Get("ConfigRuleId").AsText())
      .Field("FirstEvaluationStarted", true);
  if (r.ok) {
    w.Key("LastSuccessfulInvocationTime").Double(EpochSeconds(now));
  } else {
    w.Key("LastFailedInvocationTime").Double(EpochSeconds(now));
    w.Field("LastErrorCode", r.error_code);
    w.Field("LastErrorMessage", TruncateUtf8(r.error_message, 1000));
  }
  w.EndObject();
  store.Put(t, kRuleEvaluationStatusKind, rule, w.str());
}

void AppendLog(const std::string& path, const std::string& text) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;
  ssize_t unused = write(fd, text.data(), text.size());
  (void)unused;
  close(fd);
}

// What a child inherits from vigil's environment: enough to find and start the interpreter
// (PATH, pyenv's and virtualenv's variables, HOME for per-user site packages), nothing that
// could send the SDK elsewhere (AWS_*, proxies).
constexpr const char* kInherited[] = {
    "PATH",          "HOME",        "USER",          "LOGNAME",    "LANG",
    "LC_ALL",        "LC_CTYPE",    "TMPDIR",        "PYTHONPATH", "PYTHONHOME",
    "VIRTUAL_ENV",   "PYENV_ROOT",  "PYENV_VERSION", "PYENV_DIR",  "LD_LIBRARY_PATH",
    "SSL_CERT_FILE", "SSL_CERT_DIR"};

}  // namespace

LambdaRunner::LambdaRunner(Service& service, LambdaRunnerOptions options)
    : service_(service), options_(std::move(options)) {}

LambdaRunner::~LambdaRunner() {
  Stop();
  std::lock_guard<std::mutex> lock(g_runners_mu);
  g_runners.erase(this);
}

std::string LambdaRunner::LogFile(std::string_view function_arn) const {
  return (fs::path(options_.data_dir) / "lambda" / "logs" /
          (FileSafe(FunctionName(function_arn)) + ".log"))
      .string();
}

Status LambdaRunner::Start() {
  const fs::path dir = fs::path(options_.data_dir) / "lambda";
  std::error_code ec;
  fs::create_directories(dir / "logs", ec);
  fs::create_directories(dir / "run", ec);
  if (ec) return Status::Error(dir.string() + ": " + ec.message());
  shim_path_ = (dir / "vigil_lambda_shim.py").string();
  {
    std::ofstream out(shim_path_ + ".tmp", std::ios::binary | std::ios::trunc);
    out << kLambdaShimPy;
    if (!out) return Status::Error(shim_path_ + ": cannot write the Python shim");
  }
  fs::rename(shim_path_ + ".tmp", shim_path_, ec);
  if (ec) return Status::Error(shim_path_ + ": " + ec.message());
  // A `python3` found on PATH may be a launcher (pyenv's shim costs a second per start): run the
  // interpreter it selects directly.
  if (options_.python.find('/') == std::string::npos) {
    const std::string cmd = options_.python + " -c 'import sys; print(sys.executable)' 2>/dev/null";
    if (FILE* p = popen(cmd.c_str(), "r")) {
      char buf[4096];
      std::string out;
      while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
      if (pclose(p) == 0 && !Trim(out).empty() && Trim(out).front() == '/') {
        options_.python = std::string(Trim(out));
      }
    }
  }
  for (const auto& [arn, f] : options_.functions) {
    if (!fs::exists(f.file, ec)) {
      log::Warn("vigil serve: --lambda " + arn + ": " + f.file + " does not exist (yet)");
    }
  }
  {
    std::lock_guard<std::mutex> lock(g_runners_mu);
    g_runners.insert(this);
  }
  // The listener may outlive the runner inside the service, so it names no runner.
  if (!listening_) service_.AddCommitListener(&WakeLambdaRunners);
  listening_ = true;
  stop_ = false;
  for (size_t i = 0; i < std::max<size_t>(1, options_.workers); ++i) {
    workers_.emplace_back([this] { Work(); });
  }
  return Status::Ok();
}

void LambdaRunner::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : workers_) t.join();
  workers_.clear();
}

void WakeLambdaRunners() {
  // Only a thread that queued something since its last call wakes the runners: the commit
  // listener costs nothing after a request that queued nothing. Jobs queued by another process
  // sharing the store are found by the workers' look every 2 seconds (Work).
  static thread_local std::uint64_t seen = 0;
  const std::uint64_t queued = g_queued.load(std::memory_order_relaxed);
  if (queued == seen) return;
  seen = queued;
  std::lock_guard<std::mutex> lock(g_runners_mu);
  for (LambdaRunner* r : g_runners) r->Wake();
}

void LambdaRunner::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++wakes_;
  }
  cv_.notify_all();
}

bool LambdaRunner::WaitIdle(std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (true) {
    bool idle = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      idle = running_.empty();
    }
    if (idle) {
      std::int64_t queued = 0;
      (void)service_.store().Transact([&] {
        queued = service_.store().Count(kQueueTenant, kLambdaJobKind);
        return true;
      });
      if (queued == 0) return true;
    }
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void LambdaRunner::Work() {
  while (true) {
    std::uint64_t seen = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
      seen = wakes_;
    }
    Job job;
    if (Claim(job)) {
      Run(job);
      std::lock_guard<std::mutex> lock(mu_);
      running_.erase(job.name);
      continue;
    }
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(2), [&] { return stop_.load() || wakes_ != seen; });
  }
}

bool LambdaRunner::Claim(Job& job) {
  Store& store = service_.store();
  size_t busy = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    busy = running_.size();
  }
  std::vector<Document> docs;
  (void)store.Transact([&] {
    docs = store.List(kQueueTenant, kLambdaJobKind, {}, busy + options_.workers + 1);
    return true;
  });
  for (Document& d : docs) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (running_.count(d.name) != 0) continue;
      running_.insert(d.name);
    }
    // Another worker may have finished (and deleted) this job between the List and the claim;
    // it deletes before it unclaims, so a job still in the store now is not done.
    bool present = false;
    (void)store.Transact([&] {
      present = store.Get(kQueueTenant, kLambdaJobKind, d.name).has_value();
      return true;
    });
    if (present) {
      job.name = std::move(d.name);
      job.body = std::move(d.body);
      return true;
    }
    std::lock_guard<std::mutex> lock(mu_);
    running_.erase(d.name);
  }
  return false;
}

void LambdaRunner::Run(Job& job) {
  Store& store = service_.store();
  auto parsed = json::Document::Parse(job.body);
  if (!parsed.ok()) {
    log::Error("vigil serve: dropping unreadable Lambda job " + job.name);
    (void)store.Transact([&] { return store.Delete(kQueueTenant, kLambdaJobKind, job.name); });
    return;
  }
  const json::Value j = parsed->Root();
  const Tenant tenant{j.Get("account").AsText(), j.Get("region").AsText()};
  const std::string rule_name = j.Get("rule").AsText();
  LambdaTrigger trigger;
  trigger.rule_name = rule_name;
  trigger.message_type = j.Get("messageType").AsText();
  trigger.configuration_item = j.Get("item").AsText();
  trigger.previous_item = j.Get("previous").AsText();
  trigger.event_left_scope = j.Get("eventLeftScope").Bool().value_or(false);

  // The event, with a fresh result token, from the rule as it is now.
  const EpochMillis now = NowMillis();
  std::string rule_json, event, arn;
  const Status read = store.Transact([&] {
    const std::optional<std::string> rule = store.Get(tenant, kRuleKind, rule_name);
    if (!rule) return false;
    auto doc = json::Document::Parse(*rule);
    if (!doc.ok()) return false;
    const json::Value r = doc->Root();
    if (r.Get("Source").Get("Owner").AsText() != "CUSTOM_LAMBDA") return false;
    rule_json = *rule;
    arn = r.Get("Source").Get("SourceIdentifier").AsText();
    Context ctx;
    ctx.tenant = tenant;
    ctx.now = now;
    ctx.store = &store;
    const std::string token = IssueResultTokenForRule(ctx, rule_name);
    // executionRoleArn is "the ARN of the IAM role that is assigned to AWS Config": the
    // recorder's role, else the service-linked role AWS Config uses by default.
    std::string role;
    for (const Document& d : store.List(tenant, kRecorderKind, {}, 1)) {
      if (auto rec = json::Document::Parse(d.body); rec.ok()) {
        role = rec->Root().Get("roleARN").AsText();
      }
    }
    if (role.empty()) {
      role = "arn:" + Partition(tenant.region) + ":iam::" + tenant.account_id +
             ":role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";
    }
    json::Writer w;
    w.BeginObject().Field("invokingEvent", InvokingEvent(trigger, tenant.account_id, now));
    // AWS passes ruleParameters only for a rule that has InputParameters.
    if (const json::Value p = r.Get("InputParameters"); p.IsString() && !p.AsText().empty()) {
      w.Field("ruleParameters", p.AsText());
    }
    w.Field("resultToken", token)
        .Field("eventLeftScope", trigger.event_left_scope)
        .Field("executionRoleArn", role)
        .Field("configRuleArn", r.Get("ConfigRuleArn").AsText())
        .Field("configRuleName", rule_name)
        .Field("configRuleId", r.Get("ConfigRuleId").AsText())
        .Field("accountId", tenant.account_id)
        .Field("version", "1.0")
        .EndObject();
    event = w.Take();
    return true;
  });
  if (!read.ok()) {
    // The store failed (a lost database connection): the job stays for a later try.
    log::Error("vigil serve: Lambda job " + job.name + ": " + read.message());
    std::this_thread::sleep_for(std::chrono::seconds(1));
    return;
  }
  if (event.empty()) {
    // The rule was deleted or is no longer a Lambda rule: nothing to invoke.
    (void)store.Transact([&] { return store.Delete(kQueueTenant, kLambdaJobKind, job.name); });
    return;
  }

  Invocation outcome;
  const auto mapping = options_.functions.find(arn);
  const std::string* key_id = service_.credentials().KeyForAccount(tenant.account_id);
  if (mapping == options_.functions.end()) {
    outcome = Fail("ResourceNotFoundException",
                   "Function not found: " + arn +
                       " (vigil serve runs a local handler for a Lambda ARN mapped with --lambda " +
                       arn + "=FILE:FUNCTION or --lambda-config FILE)");
  } else if (key_id == nullptr) {
    outcome = Fail("AccessDeniedException",
                   "vigil serve has no access key for account " + tenant.account_id +
                       " in --credentials, so the function cannot call AWS Config as the rule's "
                       "account; add a key for it");
  } else {
    const AccessKey* key = service_.credentials().Find(*key_id);
    const LambdaFunction& f = mapping->second;
    const int timeout = f.timeout_seconds > 0 ? f.timeout_seconds : options_.timeout_seconds;
    const std::string request_id = NewRequestId();
    const std::string name = FunctionName(arn);
    const bool python = EndsWith(f.file, ".py");
    const std::string run_dir = (fs::path(options_.data_dir) / "lambda" / "run").string();
    const std::string event_path = run_dir + "/" + request_id + ".event.json";
    const std::string result_path = run_dir + "/" + request_id + ".result.json";
    const std::string log_path = LogFile(arn);
    { std::ofstream(event_path, std::ios::binary | std::ios::trunc) << event; }
    std::error_code ec;
    // Absolute, since the child starts in the task root.
    const std::string file = fs::absolute(fs::path(f.file), ec).lexically_normal().string();
    const std::string task_root = fs::path(file).parent_path().string();

    // The environment, as Lambda sets it for a function, pointed at this server.
    std::map<std::string, std::string> env;
    for (const char* name_c : kInherited) {
      if (const char* v = std::getenv(name_c)) env[name_c] = v;
    }
    for (const auto& [k, v] : f.env) env[k] = v;
    const EpochMillis start_ms = NowMillis();
    // Lambda's log stream names: YYYY/MM/DD/[VERSION] and 32 hex digits.
    std::string stream_name = FormatDate(start_ms);
    std::replace(stream_name.begin(), stream_name.end(), '-', '/');
    std::random_device random;
    stream_name +=
        "/[$LATEST]" + Hex(random(), 8) + Hex(random(), 8) + Hex(random(), 8) + Hex(random(), 8);
    const std::map<std::string, std::string> reserved = {
        {"AWS_ACCESS_KEY_ID", *key_id},
        {"AWS_SECRET_ACCESS_KEY", key->secret_access_key},
        {"AWS_REGION", tenant.region},
        {"AWS_DEFAULT_REGION", tenant.region},
        {"AWS_ENDPOINT_URL", options_.endpoint},
        {"AWS_ENDPOINT_URL_CONFIG_SERVICE", options_.endpoint},
        {"AWS_CONFIG_FILE", "/dev/null"},
        {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"},
        {"AWS_EC2_METADATA_DISABLED", "true"},
        {"AWS_LAMBDA_FUNCTION_NAME", name},
        {"AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"},
        {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", std::to_string(kMemoryMb)},
        {"AWS_LAMBDA_FUNCTION_TIMEOUT", std::to_string(timeout)},
        {"AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name},
        {"AWS_LAMBDA_LOG_STREAM_NAME", stream_name},
        {"AWS_EXECUTION_ENV", python ? "AWS_Lambda_python3" : "vigil"},
        {"LAMBDA_TASK_ROOT", task_root},
        {"_HANDLER", fs::path(f.file).stem().string() + "." + f.handler},
        {"TZ", ":UTC"},
        {"PYTHONUNBUFFERED", "1"},
        {"VIGIL_LAMBDA_DEADLINE_MS", std::to_string(start_ms + timeout * 1000LL)},
        {"VIGIL_LAMBDA_REQUEST_ID", request_id},
        {"VIGIL_LAMBDA_FUNCTION_ARN", arn},
    };
    for (const auto& [k, v] : reserved) env[k] = v;
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<std::string> args;
    if (python) {
      args = {options_.python, shim_path_, file, f.handler, event_path, result_path};
    } else {
      args = {file};
    }
    std::vector<char*> argv, envp;
    for (std::string& s : args) argv.push_back(s.data());
    argv.push_back(nullptr);
    for (std::string& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);

    AppendLog(log_path, "START RequestId: " + request_id + " Version: $LATEST\n");
    // The child: its own process group (killed whole at the time limit), signals unblocked and
    // at their defaults (vigil serve blocks SIGINT/SIGTERM and ignores SIGPIPE), the event on
    // stdin, stdout and stderr appended to the function's log, the task root as working folder.
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, event_path.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                     0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn_file_actions_addchdir_np(&actions, task_root.c_str());
    // Nothing else of vigil's (the store, the listening socket, descriptors inherited by vigil).
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    for (const int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD}) sigaddset(&defaults, s);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = -1;
    const int spawn_error = posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);

    bool timed_out = false;
    int status = 0;
    struct rusage usage {};
    if (spawn_error != 0) {
      outcome = Fail("Runtime.InvalidEntrypoint",
                     "cannot start " + args[0] + ": " + std::strerror(spawn_error));
    } else {
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout);
      auto pause = std::chrono::milliseconds(1);
      while (true) {
        if (wait4(pid, &status, WNOHANG, &usage) == pid) break;
        if (stop_) {
          kill(-pid, SIGKILL);
          wait4(pid, &status, 0, &usage);
          outcome.cancelled = true;
          break;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
          kill(-pid, SIGKILL);
          wait4(pid, &status, 0, &usage);
          timed_out = true;
          break;
        }
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(20));
      }
      // Whatever the handler left running in its group goes too, as when a Lambda sandbox ends.
      kill(-pid, SIGKILL);
    }
    const EpochMillis end_ms = NowMillis();
    if (outcome.cancelled) {
      AppendLog(log_path, "END RequestId: " + request_id +
                              " (vigil serve stopped; it runs again"
                              " at the next start)\n");
      fs::remove(event_path, ec);
      fs::remove(result_path, ec);
      return;
    }
    if (spawn_error == 0) {
      char timeout_text[64];
      std::snprintf(timeout_text, sizeof timeout_text, "Task timed out after %d.00 seconds",
                    timeout);
      bool have_result = false;
      const std::string result_text = ReadText(result_path, &have_result);
      if (timed_out) {
        AppendLog(log_path, FormatIso8601(end_ms) + " " + request_id + " " + timeout_text + "\n");
        outcome = Fail("Sandbox.Timedout", timeout_text);
      } else if (python && have_result) {
        auto result = json::Document::Parse(result_text);
        if (!result.ok()) {
          outcome = Fail("Runtime.ExitError", "unreadable result from the Python shim");
        } else if (const json::Value type = result->Root().Get("errorType"); !type.Missing()) {
          outcome = Fail(type.AsText(), result->Root().Get("errorMessage").AsText());
        } else {
          outcome.ok = true;
        }
      } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !python) {
        outcome.ok = true;
      } else if (WIFSIGNALED(status)) {
        outcome = Fail("Runtime.ExitError", "RequestId: " + request_id +
                                                " Error: Runtime exited with error: signal: " +
                                                strsignal(WTERMSIG(status)));
      } else {
        outcome = Fail("Runtime.ExitError", "RequestId: " + request_id +
                                                " Error: Runtime exited with error: exit status " +
                                                std::to_string(WEXITSTATUS(status)));
      }
      const double ms = static_cast<double>(end_ms - start_ms);
      char report[256];
      std::snprintf(report, sizeof report,
                    "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %lld ms\tMemory "
                    "Size: %d MB\tMax Memory Used: %ld MB\t\n",
                    request_id.c_str(), ms, static_cast<long long>(end_ms - start_ms + 1),
                    kMemoryMb, usage.ru_maxrss / 1024);
      AppendLog(log_path, "END RequestId: " + request_id + "\n" + report);
    }
    fs::remove(event_path, ec);
    fs::remove(result_path, ec);
  }
  if (!outcome.ok) {
    log::Warn("vigil serve: Lambda rule " + rule_name + " (" + tenant.account_id + "/" +
              tenant.region + "): " + outcome.error_code + ": " + outcome.error_message);
  }

  // The outcome and the job's removal in one transaction: a crash before it runs the job again.
  const Status st = store.Transact([&] {
    store.Delete(kQueueTenant, kLambdaJobKind, job.name);
    auto rule = json::Document::Parse(rule_json);
    if (!rule.ok()) return true;
    RecordInvocation(store, tenant, rule_name, rule->Root(), outcome, NowMillis());
    return true;
  });
  if (!st.ok()) log::Error("vigil serve: recording a Lambda invocation: " + st.message());
}

}  // namespace vigil::api
