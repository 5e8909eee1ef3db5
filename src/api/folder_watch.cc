#include "api/folder_watch.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>

#include "api/ingest.h"
#include "api/records.h"
#include "common/log.h"
#include "ingest/input.h"
#include "json/writer.h"
#include "model/facts.h"

namespace vigil::api {

namespace {

constexpr std::string_view kWatchedKind = "watched-file";
constexpr std::string_view kRecorderStatusKind = "recorder-status";
const Tenant kGlobal{"", ""};

bool Recording(Store& store, const Tenant& t) {
  for (const Document& d : store.List(t, kRecorderStatusKind)) {
    auto doc = json::Document::Parse(d.body);
    if (doc.ok() && doc->Root().Get("recording").Bool().value_or(false)) return true;
  }
  return false;
}

std::string Stamp(const ingest::InputFile& f) {
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(f.path, ec);
  json::Writer w;
  w.BeginObject()
      .Field("size", static_cast<std::int64_t>(f.size))
      .Field("mtime", static_cast<std::int64_t>(ec ? 0 : mtime.time_since_epoch().count()))
      .EndObject();
  return w.Take();
}

}  // namespace

FolderWatcher::FolderWatcher(Store& store, const Limits& limits, std::string dir, int interval_ms,
                             std::function<bool(std::string_view)> accounts_known)
    : store_(store),
      limits_(limits),
      dir_(std::move(dir)),
      interval_ms_(interval_ms),
      accounts_known_(std::move(accounts_known)) {}

FolderWatcher::~FolderWatcher() { Stop(); }

void FolderWatcher::Start() {
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void FolderWatcher::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void FolderWatcher::Loop() {
  for (;;) {
    Scan(NowMillis());
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, std::chrono::milliseconds(interval_ms_), [this] { return stop_; })) {
      return;
    }
  }
}

WatchStats FolderWatcher::Scan(EpochMillis now) {
  WatchStats stats;
  std::vector<std::string> errors;
  const std::vector<std::string> roots = {dir_};
  std::error_code ec;
  if (!std::filesystem::is_directory(dir_, ec)) return stats;
  std::vector<ingest::InputFile> files = ingest::CollectInputs(roots, errors);
  // Facts first: the rules judging the items read them.
  std::stable_partition(files.begin(), files.end(), [](const ingest::InputFile& f) {
    return f.kind == ingest::InputFile::Kind::kFact;
  });
  for (const std::string& e : errors) log::Warn("vigil serve --watch: " + e);
  // Which tenants record, asked once per scan.
  std::map<std::pair<std::string, std::string>, bool> recording;
  auto records = [&](const std::string& account, const std::string& region) {
    const auto key = std::make_pair(account, region);
    auto it = recording.find(key);
    if (it == recording.end()) {
      // Called inside the file's transaction.
      it = recording.emplace(key, Recording(store_, {account, region})).first;
    }
    return it->second;
  };
  for (const ingest::InputFile& f : files) {
    const std::string stamp = Stamp(f);
    recording.clear();  // a recorder may have started since the last file
    bool seen = false;
    (void)store_.Transact([&] {
      seen = store_.Get(kGlobal, kWatchedKind, f.path) == stamp;
      return true;
    });
    if (seen) continue;
    ++stats.files;
    auto text = ingest::ReadInput(f.path);
    if (!text.ok()) {
      ++stats.errors;
      log::Warn("vigil serve --watch: " + text.status().message());
      continue;
    }
    bool waiting = false;
    std::vector<std::string> problems;
    const Status st = store_.Transact([&] {
      if (f.kind == ingest::InputFile::Kind::kFact) {
        if (f.account.empty() || f.region.empty() || !accounts_known_(f.account) ||
            !records(f.account, f.region)) {
          waiting = true;
          return true;
        }
        model::FactStore facts;
        if (Status s = ingest::LoadFact(f, *text, facts); !s.ok()) {
          problems.push_back(s.message());
          return true;
        }
        const json::Value v = facts.Get(f.fact_name, f.account, f.region);
        if (!v.Missing()) {
          Context ctx;
          ctx.tenant = {f.account, f.region};
          ctx.now = now;
          ctx.store = &store_;
          ctx.limits = &limits_;
          StoreFact(ctx, f.fact_name, v.ToJson());
        }
        return true;
      }
      std::string unknown_account;
      const Status read = ingest::ReadItems(
          *text,
          [&](const model::ConfigurationItem& ci) {
            ++stats.items;
            const std::string account(ci.account_id);
            std::string region(ci.region);
            if (region.empty() || region == "global") region = f.recording_region;
            if (!accounts_known_(account)) {
              unknown_account = account;
              return;
            }
            if (region.empty() || !records(account, region)) {
              waiting = true;
              return;
            }
            Context ctx;
            ctx.tenant = {account, region};
            ctx.now = now;
            ctx.store = &store_;
            ctx.limits = &limits_;
            if (IngestItem(ctx, ci) == IngestOutcome::kRecorded) ++stats.recorded;
          },
          [&](const std::string& e) { problems.push_back(e); });
      if (!read.ok()) problems.push_back(read.message());
      if (!unknown_account.empty()) {
        problems.push_back("items of account " + unknown_account +
                           " ignored: no access key in --credentials has that account");
      }
      // Remembered only when every item found its recorder; otherwise read again later.
      if (!waiting) store_.Put(kGlobal, kWatchedKind, f.path, stamp);
      return true;
    });
    if (!st.ok()) {
      ++stats.errors;
      log::Error("vigil serve --watch: " + f.path + ": " + st.message());
    }
    for (const std::string& p : problems) {
      ++stats.errors;
      log::Warn("vigil serve --watch: " + f.path + ": " + p);
    }
    if (waiting) ++stats.waiting;
    if (wake_) wake_();
  }
  return stats;
}

}  // namespace vigil::api
