#include "ingest/input.h"

#include <fcntl.h>
#include <libdeflate.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "common/strings.h"
#include "json/value.h"
#include "json/writer.h"

namespace vigil::ingest {
namespace fs = std::filesystem;

namespace {

bool IsAccountId(std::string_view s) {
  return s.size() == 12 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A region name: "us-east-1", "us-gov-west-1", "us-isob-east-1", "ap-southeast-2".
bool IsRegion(std::string_view s) {
  if (s.size() < 9 || s.size() > 32) return false;
  const auto parts = Split(s, '-');
  if (parts.size() < 3 || parts.size() > 4) return false;
  auto letters = [](std::string_view p) {
    return !p.empty() &&
           std::all_of(p.begin(), p.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  };
  const std::string_view last = parts.back();
  if (parts[0].size() != 2 || !letters(parts[0]) || last.empty() || last.size() > 2 ||
      !std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  for (size_t i = 1; i + 1 < parts.size(); ++i)
    if (!letters(parts[i])) return false;
  return true;
}

bool WantedFile(const std::string& name) {
  return EndsWith(name, ".json") || EndsWith(name, ".json.gz") || EndsWith(name, ".jsonl") ||
         EndsWith(name, ".ndjson") || EndsWith(name, ".gz") || EndsWith(name, ".csv");
}

// Fact files are recognised by name; their account and region come from the enclosing folders.
void Classify(InputFile& in) {
  const fs::path p(in.path);
  std::string stem = p.filename().string();
  for (const char* ext : {".json.gz", ".json", ".csv"}) {
    if (EndsWith(stem, ext)) {
      stem.resize(stem.size() - std::strlen(ext));
      break;
    }
  }
  if (stem == "iam-credential-report") stem = "iam-get-credential-report";
  if (model::FindFactKind(stem) == nullptr) return;
  in.kind = InputFile::Kind::kFact;
  in.fact_name = stem;
  for (fs::path dir = p.parent_path(); !dir.empty() && dir != dir.root_path();
       dir = dir.parent_path()) {
    const std::string name = dir.filename().string();
    if (in.region.empty() && IsRegion(name)) in.region = name;
    if (in.account.empty() && IsAccountId(name)) in.account = name;
    if (!in.account.empty()) break;
    if (dir == dir.parent_path()) break;
  }
}

}  // namespace

std::vector<InputFile> CollectInputs(std::span<const std::string> paths,
                                     std::vector<std::string>& errors) {
  std::vector<InputFile> out;
  for (const std::string& path : paths) {
    if (path == "-") {
      out.push_back({InputFile::Kind::kItems, "-"});
      continue;
    }
    std::error_code ec;
    const auto st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
      errors.push_back(path + ": no such file or folder");
      continue;
    }
    if (fs::is_directory(st)) {
      std::vector<InputFile> found;
      fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
      for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!name.empty() && name[0] == '.') {
          if (it->is_directory()) it.disable_recursion_pending();
          continue;
        }
        if (!it->is_regular_file() || !WantedFile(name)) continue;
        InputFile f{InputFile::Kind::kItems, it->path().string()};
        f.size = it->file_size();
        found.push_back(std::move(f));
      }
      if (ec) errors.push_back(path + ": " + ec.message());
      std::sort(found.begin(), found.end(),
                [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
      for (auto& f : found) out.push_back(std::move(f));
    } else {
      InputFile f{InputFile::Kind::kItems, path};
      f.size = fs::file_size(path, ec);
      out.push_back(std::move(f));
    }
  }
  for (auto& f : out) {
    if (f.path == "-") continue;
    Classify(f);
    if (f.kind == InputFile::Kind::kItems) {
      // .../Config/<region>/<yyyy>/... in AWS's delivery layout.
      const fs::path p(f.path);
      std::string previous;
      for (const auto& part : p) {
        const std::string name = part.string();
        if (previous == "Config" && IsRegion(name)) f.recording_region = name;
        previous = name;
      }
    }
  }
  return out;
}

namespace {

Status Gunzip(const std::string& path, std::string_view compressed, Buffer& out) {
  // Deflate cannot expand more than 1032:1, which bounds both the guess (ISIZE of a truncated
  // file is garbage) and the growth below.
  const size_t limit = compressed.size() * 1032 + 1024;
  size_t guess = compressed.size() * 4;
  if (compressed.size() >= 18) {
    std::uint32_t isize;
    std::memcpy(&isize, compressed.data() + compressed.size() - 4, 4);
    if (isize > 0) guess = std::min<size_t>(std::max<size_t>(isize, 64), limit);
  }
  struct FreeDecompressor {
    void operator()(libdeflate_decompressor* p) const { libdeflate_free_decompressor(p); }
  };
  thread_local std::unique_ptr<libdeflate_decompressor, FreeDecompressor> owner(
      libdeflate_alloc_decompressor());
  libdeflate_decompressor* d = owner.get();
  if (d == nullptr) return Status::Error(path + ": out of memory for gzip decompression");
  size_t in_pos = 0;
  size_t out_pos = 0;
  // Loop over gzip members: concatenated gzip files are valid and decompress to the concatenation.
  while (in_pos < compressed.size()) {
    size_t cap = guess;
    for (;;) {
      char* dst = out.Reserve(out_pos + cap, out_pos) + out_pos;
      size_t in_used = 0, out_used = 0;
      const auto r = libdeflate_gzip_decompress_ex(
          d, compressed.data() + in_pos, compressed.size() - in_pos, dst, cap, &in_used, &out_used);
      if (r == LIBDEFLATE_SUCCESS) {
        in_pos += in_used;
        out_pos += out_used;
        break;
      }
      if (r == LIBDEFLATE_INSUFFICIENT_SPACE && cap < limit) {
        cap = std::min(cap * 2, limit);
        continue;
      }
      out.SetSize(0);
      return Status::Error(path + ": corrupt or truncated gzip data (" +
                           (out_pos == 0 ? std::string("nothing could be decompressed")
                                         : "after " + std::to_string(out_pos) + " bytes") +
                           "); re-download the file");
    }
    // Trailing zero padding after the last member is tolerated.
    while (in_pos < compressed.size() && compressed[in_pos] == 0) ++in_pos;
  }
  out.SetSize(out_pos);
  return Status::Ok();
}

Status ReadRaw(const std::string& path, Buffer& out) {
  const bool is_stdin = path == "-";
  const int fd = is_stdin ? 0 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  // One byte more than the file holds, so the read that meets end-of-file needs no growth.
  size_t expect =
      (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) ? static_cast<size_t>(st.st_size) + 1 : 0;
  size_t size = 0;
  for (;;) {
    if (size + 1 > expect) expect = std::max<size_t>(expect + 1, size * 2 + 65536);
    char* dst = out.Reserve(expect, size);
    const ssize_t n = ::read(fd, dst + size, expect - size);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string err = std::strerror(errno);
      if (!is_stdin) ::close(fd);
      return Status::Error((is_stdin ? std::string("<stdin>") : path) + ": read error: " + err);
    }
    if (n == 0) break;
    size += static_cast<size_t>(n);
  }
  if (!is_stdin) ::close(fd);
  out.SetSize(size);
  return Status::Ok();
}

}  // namespace

char* Buffer::Reserve(size_t n, size_t keep) {
  if (n + json::Document::kPadding > capacity_) {
    const size_t cap = std::max(n + json::Document::kPadding, capacity_ + capacity_ / 2);
    std::unique_ptr<char[]> fresh(new char[cap]);
    if (keep > 0 && data_) std::memcpy(fresh.get(), data_.get(), std::min(keep, capacity_));
    data_ = std::move(fresh);
    capacity_ = cap;
  }
  return data_.get();
}

void Buffer::SetSize(size_t n) {
  Reserve(n, n);
  size_ = n;
  std::memset(data_.get() + n, 0, json::Document::kPadding);
}

Status ReadInput(const std::string& path, Buffer& out, Buffer& scratch) {
  if (auto st = ReadRaw(path, scratch); !st.ok()) return st;
  const std::string_view raw = scratch.view();
  if (raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0x1f &&
      static_cast<unsigned char>(raw[1]) == 0x8b)
    return Gunzip(path == "-" ? "<stdin>" : path, raw, out);
  out.swap(scratch);
  return Status::Ok();
}

Result<std::string> ReadInput(const std::string& path) {
  Buffer out, scratch;
  if (auto st = ReadInput(path, out, scratch); !st.ok()) return st;
  return std::string(out.view());
}

namespace {

using ItemFn = std::function<void(const model::ConfigurationItem&)>;
using ErrorFn = std::function<void(const std::string&)>;

struct Reader {
  const ItemFn& on_item;
  const ErrorFn& on_error;
  model::ItemArena arena;
  size_t items = 0;

  // `field` and `index` (-1 for none) say where the item is, for an error message: the text is
  // only built when there is an error.
  void One(const json::Value& v, std::string_view field, std::int64_t index = -1) {
    auto ci = model::ParseItem(v, arena);
    if (!ci.ok()) {
      std::string where(field);
      if (index >= 0) where += "[" + std::to_string(index) + "]";
      on_error(where + ": " + ci.status().message());
      return;
    }
    ++items;
    on_item(*ci);
    arena.Clear();
  }

  void List(const json::Value& list, std::string_view field) {
    std::int64_t i = 0;
    for (const json::Value v : list.Elements()) One(v, field, i++);
  }

  // Returns false if `root` has none of the known shapes.
  bool Shape(const json::Value& root, int depth = 0) {
    if (root.IsArray()) {
      List(root, "item");
      return true;
    }
    if (!root.IsObject()) return false;
    if (root.Get("configurationItems").IsArray()) {
      List(root.Get("configurationItems"), "configurationItems");
      return true;
    }
    if (root.Get("baseConfigurationItems").IsArray()) {
      List(root.Get("baseConfigurationItems"), "baseConfigurationItems");
      return true;
    }
    if (root.Get("configurationItem").IsObject()) {
      One(root.Get("configurationItem"), "configurationItem");
      return true;
    }
    // A Lambda event carries the notification as `invokingEvent`; an SNS envelope (as SQS or
    // email deliver it) as `Message`. Both are JSON text holding one of the shapes here.
    for (const char* wrapper : {"invokingEvent", "Message"}) {
      auto text = root.Get(wrapper).String();
      if (!text || depth > 0) continue;
      auto doc = json::Document::Parse(*text);
      if (!doc.ok()) {
        on_error(std::string(wrapper) + ": " + doc.status().message());
        return true;
      }
      return Shape(doc->Root(), depth + 1);
    }
    if (root.Get("configurationItemSummary").IsObject()) {
      // Oversized notifications carry no configuration: judging them would guess.
      on_error("oversized configuration item notification for " +
               root.Get("configurationItemSummary").Get("resourceId").AsText() +
               " holds no configuration; read the item with `aws configservice "
               "get-resource-config-history` and evaluate that output");
      return true;
    }
    if (root.Get("Results").IsArray()) {
      size_t i = 0;
      for (const json::Value r : root.Get("Results").Elements()) {
        const std::string where = "Results[" + std::to_string(i++) + "]";
        auto text = r.String();
        if (!text) {
          if (r.IsObject()) One(r, where);
          continue;
        }
        auto doc = json::Document::Parse(*text);
        if (!doc.ok()) {
          on_error(where + ": " + doc.status().message());
          continue;
        }
        One(doc->Root(), where);
      }
      return true;
    }
    if (root.Get("resourceType").IsString() || root.Get("resourceId").IsString()) {
      One(root, "item");
      return true;
    }
    return false;
  }
};

}  // namespace

Status ReadItems(std::string_view text, const ItemFn& on_item, const ErrorFn& on_error,
                 bool padded) {
  if (Trim(text).empty()) return Status::Error("empty file: expected configuration items");
  Reader reader{on_item, on_error};
  auto doc = padded ? json::Document::ParsePadded(text) : json::Document::Parse(text);
  if (doc.ok()) {
    if (!reader.Shape(doc->Root()))
      return Status::Error(
          "no configuration items found: expected a snapshot or history file "
          "({\"configurationItems\": [...]}), batch-get-resource-config or "
          "get-resource-config-history output, a notification, a CI object, an array or JSON "
          "Lines");
    return Status::Ok();
  }
  // Not one document: JSON Lines, if at least the first line parses on its own.
  const Status whole_error = doc.status();
  size_t line_no = 0;
  bool any = false;
  const std::string_view first_line = text.substr(0, text.find('\n'));
  if (first_line.size() == text.size() || !json::Document::Parse(first_line).ok())
    return whole_error;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++line_no;
    const std::string_view line = Trim(text.substr(start, end - start));
    start = end + 1;
    if (line.empty()) continue;
    auto line_doc = json::Document::Parse(line);
    if (!line_doc.ok()) {
      on_error("line " + std::to_string(line_no) + ": " + line_doc.status().message());
      continue;
    }
    ErrorFn prefixed = [&](const std::string& m) {
      on_error("line " + std::to_string(line_no) + ": " + m);
    };
    Reader line_reader{on_item, prefixed};
    if (!line_reader.Shape(line_doc->Root()))
      on_error("line " + std::to_string(line_no) + ": not a configuration item");
    any = true;
  }
  if (!any) return whole_error;
  return Status::Ok();
}

Status LoadFact(const InputFile& file, std::string_view text, model::FactStore& facts) {
  if (file.account.empty() || file.region.empty())
    return Status::Error(file.path +
                         ": cannot tell which account and region this fact belongs to; place it "
                         "under <account-id>/<region>/ (see docs/facts.md)");
  std::string json_text(text);
  if (file.fact_name == "iam-get-credential-report" && !Trim(text).empty() &&
      Trim(text)[0] != '{') {
    // A raw CSV report: wrap it as get-credential-report's output would.
    static const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string b64;
    size_t i = 0;
    for (; i + 2 < text.size(); i += 3) {
      const unsigned n = (static_cast<unsigned char>(text[i]) << 16) |
                         (static_cast<unsigned char>(text[i + 1]) << 8) |
                         static_cast<unsigned char>(text[i + 2]);
      b64 += kB64[n >> 18];
      b64 += kB64[(n >> 12) & 63];
      b64 += kB64[(n >> 6) & 63];
      b64 += kB64[n & 63];
    }
    if (i < text.size()) {
      unsigned n = static_cast<unsigned char>(text[i]) << 16;
      if (i + 1 < text.size()) n |= static_cast<unsigned char>(text[i + 1]) << 8;
      b64 += kB64[n >> 18];
      b64 += kB64[(n >> 12) & 63];
      b64 += i + 1 < text.size() ? kB64[(n >> 6) & 63] : '=';
      b64 += '=';
    }
    json::Writer w;
    w.BeginObject().Field("Content", b64).Field("ReportFormat", "text/csv").EndObject();
    json_text = w.Take();
  }
  auto doc = json::Document::Parse(json_text);
  if (!doc.ok()) return Status::Error(file.path + ": " + doc.status().message());
  if (!doc->Root().IsObject())
    return Status::Error(file.path + ": expected the JSON object the AWS CLI prints");
  facts.Put(file.fact_name, file.account, file.region, std::move(doc).value());
  return Status::Ok();
}

}  // namespace vigil::ingest
