// Finding and reading vigil's inputs: configuration-item files (snapshots, history, API outputs,
// JSON Lines; plain or gzip), folders in the S3 delivery layout, standard input, and account
// fact files.
#pragma once

#include <functional>
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
  std::string path;         // "-" is standard input
  std::string fact_name;    // kFact: model::FactKind name
  std::string account;      // kFact: from the enclosing folders
  std::string region;       // kFact: from the enclosing folders
  std::uint64_t size = 0;   // bytes on disk (0 for stdin)
  // kItems: the region of the S3 delivery path (AWSLogs/<account>/Config/<region>/...), if any.
  std::string recording_region;
};

// Expands `paths` into files: folders are walked recursively in name order (hidden entries and
// files that are neither .json, .json.gz, .jsonl, .ndjson nor .gz are skipped); "-" is stdin.
// Files named after a fact (`iam-get-account-summary.json`, ...) become kFact inputs. Paths that
// do not exist are reported in `errors`.
std::vector<InputFile> CollectInputs(std::span<const std::string> paths,
                                     std::vector<std::string>& errors);

// Reads a whole file ("-" = stdin), decompressing gzip (detected by its magic bytes, whatever
// the name). Errors name the file and say what is wrong (missing, unreadable, truncated gzip).
Result<std::string> ReadInput(const std::string& path);

// Reads every configuration item in `text`, whatever AWS shape holds them:
//   - snapshot / history files and get-resource-config-history output ({"configurationItems": [...]})
//   - batch-get-resource-config output ({"baseConfigurationItems": [...]})
//   - change notifications ({"configurationItem": {...}}) and Lambda events ({"invokingEvent": "..."})
//   - select-resource-config output ({"Results": ["{...}", ...]})
//   - one CI, an array of CIs, or JSON Lines (one of any of the above per line).
// Calls `on_item` for each item parsed; each item that cannot be read is reported through
// `on_error` with its position, and the others still go through. Returns a non-OK status when the
// text as a whole is not JSON (the message names line and column) or holds no recognised shape.
// Items passed to `on_item` are valid only during the call.
Status ReadItems(std::string_view text, const std::function<void(const model::ConfigurationItem&)>& on_item,
                 const std::function<void(const std::string&)>& on_error);

// Parses a fact file's text into `facts`. A credential report may also be given as the raw CSV.
Status LoadFact(const InputFile& file, std::string_view text, model::FactStore& facts);

}  // namespace vigil::ingest
