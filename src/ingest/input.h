// Finding and reading vigil's inputs: configuration-item files (snapshots, history, API outputs,
// JSON Lines; plain or gzip), folders in the S3 delivery layout, standard input, and account
// fact files.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/configuration_item.h"
#include "model/facts.h"

namespace vigil::ingest {

struct InputFile {
  enum class Kind { kItems, kFact };
  Kind kind = Kind::kItems;
  std::string path;        // "-" is standard input
  std::string fact_name;   // kFact: model::FactKind name
  std::string account;     // kFact: from the enclosing folders
  std::string region;      // kFact: from the enclosing folders
  std::uint64_t size = 0;  // bytes on disk (0 for stdin)
  // kItems: the region of the S3 delivery path (AWSLogs/<account>/Config/<region>/...), if any.
  std::string recording_region;
};

// Expands `paths` into files: folders are walked recursively in name order (hidden entries and
// files that are neither .json, .json.gz, .jsonl, .ndjson nor .gz are skipped); "-" is stdin.
// Files named after a fact (`iam-get-account-summary.json`, ...) become kFact inputs. Paths that
// do not exist are reported in `errors`.
std::vector<InputFile> CollectInputs(std::span<const std::string> paths,
                                     std::vector<std::string>& errors);

// A reusable byte buffer whose contents are always followed by json::Document::kPadding zero
// bytes, so the JSON parser reads it in place. Growing keeps capacity; nothing is zero-filled.
class Buffer {
 public:
  std::string_view view() const { return {data_.get(), size_}; }
  size_t size() const { return size_; }
  // Makes room for `n` bytes (plus padding) and returns where to write them; keeps the first
  // `keep` bytes.
  char* Reserve(size_t n, size_t keep = 0);
  // Sets the size after writing; the padding after it is zeroed.
  void SetSize(size_t n);
  void swap(Buffer& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(capacity_, o.capacity_);
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

// Reads a whole file ("-" = stdin) into `out`, decompressing gzip (detected by its magic bytes,
// whatever the name) with `scratch` as the compressed copy. Errors name the file and say what is
// wrong (missing, unreadable, truncated gzip).
Status ReadInput(const std::string& path, Buffer& out, Buffer& scratch);
// The same, returning a string (for small files: rules, facts, account lists).
Result<std::string> ReadInput(const std::string& path);

// Reads every configuration item in `text`, whatever AWS shape holds them:
//   - snapshot / history files and get-resource-config-history output ({"configurationItems":
//   [...]})
//   - batch-get-resource-config output ({"baseConfigurationItems": [...]})
//   - change notifications ({"configurationItem": {...}}) and Lambda events ({"invokingEvent":
//   "..."})
//   - select-resource-config output ({"Results": ["{...}", ...]})
//   - one CI, an array of CIs, or JSON Lines (one of any of the above per line).
// Calls `on_item` for each item parsed; each item that cannot be read is reported through
// `on_error` with its position, and the others still go through. Returns a non-OK status when the
// text as a whole is not JSON (the message names line and column) or holds no recognised shape.
// Items passed to `on_item` are valid only during the call.
// `padded`: `text` is followed by json::Document::kPadding readable bytes (a Buffer's view), so it
// is parsed in place.
Status ReadItems(std::string_view text,
                 const std::function<void(const model::ConfigurationItem&)>& on_item,
                 const std::function<void(const std::string&)>& on_error, bool padded = false);

// Parses a fact file's text into `facts`. A credential report may also be given as the raw CSV.
Status LoadFact(const InputFile& file, std::string_view text, model::FactStore& facts);

}  // namespace vigil::ingest
