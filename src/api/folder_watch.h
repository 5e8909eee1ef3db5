// The watched folder of `vigil serve --watch DIR`: configuration items arriving as files in the
// S3 delivery layout (what `aws s3 sync s3://<config bucket> DIR` produces:
// AWSLogs/<account>/Config/<region>/<yyyy>/<m>/<d>/ConfigSnapshot|ConfigHistory/*.json.gz), plus
// any other item files vigil reads (ingest/input.h). New and changed files are read as they
// appear; their items are recorded (ingest.h) for the accounts and regions whose configuration
// recorder is started, which evaluates them against the rules in scope.
//
// A file whose items belong to a tenant without a running recorder waits until that recorder
// starts (AWS records nothing while the recorder is stopped). A file is read again only when its
// size or modification time changes; what was read is remembered in the store (tenant ("", ""),
// kind "watched-file"), so a restart does not read everything again. Items of accounts that have
// no access key in --credentials are ignored, with one warning per file.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "api/operation.h"
#include "api/store.h"

namespace vigil::api {

struct WatchStats {
  size_t files = 0, items = 0, recorded = 0, waiting = 0, errors = 0;
};

class FolderWatcher {
 public:
  // `accounts_known(account)`: whether the account has an access key (serve's credentials).
  FolderWatcher(Store& store, const Limits& limits, std::string dir, int interval_ms,
                std::function<bool(std::string_view)> accounts_known);
  ~FolderWatcher();
  // Called after a scan recorded something (wakes the evaluation, outbox and Lambda workers).
  void SetWake(std::function<void()> wake) { wake_ = std::move(wake); }
  void Start();
  void Stop();
  // One pass over the folder on the calling thread (tests, and the thread's loop).
  WatchStats Scan(EpochMillis now);

 private:
  void Loop();
  Store& store_;
  const Limits& limits_;
  std::string dir_;
  int interval_ms_;
  std::function<bool(std::string_view)> accounts_known_;
  std::function<void()> wake_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace vigil::api
