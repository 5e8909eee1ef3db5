// The baseline of docs/PERFORMANCE.md: what simdjson needs to merely parse vigil's inputs, on one
// core. Walks the given files and folders recursively, and for every .json / .jsonl / .ndjson
// file reads it into a padded_string and parses it with one reused dom::parser (JSON Lines files
// one line at a time), touching nothing else. Prints the bytes parsed and the seconds taken
// (reading included, as vigil's own figure includes reading).
//
//   parse_only [--repeat N] PATH...
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

bool Wanted(const fs::path& p) {
  const std::string n = p.filename().string();
  if (n.empty() || n[0] == '.') return false;
  for (const char* ext : {".json", ".jsonl", ".ndjson"})
    if (n.size() >= std::strlen(ext) &&
        n.compare(n.size() - std::strlen(ext), std::string::npos, ext) == 0)
      return true;
  return false;
}

void Collect(const fs::path& p, std::vector<fs::path>& out) {
  if (fs::is_directory(p)) {
    for (const auto& e : fs::recursive_directory_iterator(p))
      if (e.is_regular_file() && Wanted(e.path())) out.push_back(e.path());
  } else {
    out.push_back(p);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 1;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else {
      Collect(argv[i], files);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: parse_only [--repeat N] FILE_OR_FOLDER...\n");
    return 2;
  }
  std::sort(files.begin(), files.end());
  simdjson::dom::parser parser;
  double best = 1e300;
  std::uint64_t bytes = 0, docs = 0;
  for (int r = 0; r < repeat; ++r) {
    bytes = 0;
    docs = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const auto& f : files) {
      simdjson::padded_string text;
      if (simdjson::padded_string::load(f.string()).get(text) != simdjson::SUCCESS) {
        std::fprintf(stderr, "parse_only: cannot read %s\n", f.c_str());
        return 1;
      }
      bytes += text.size();
      const std::string name = f.filename().string();
      if (name.ends_with(".json")) {
        simdjson::dom::element root;
        if (parser.parse(text).get(root) != simdjson::SUCCESS) {
          std::fprintf(stderr, "parse_only: %s is not JSON\n", f.c_str());
          return 1;
        }
        ++docs;
      } else {  // JSON Lines: one document per line, as vigil reads them
        simdjson::dom::document_stream stream;
        if (parser.parse_many(text).get(stream) != simdjson::SUCCESS) return 1;
        for (auto doc : stream) {
          if (doc.error() != simdjson::SUCCESS) return 1;
          ++docs;
        }
      }
    }
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best = std::min(best, s);
  }
  std::printf("files %zu\ndocuments %llu\nbytes %llu\nseconds %.3f\nMB/s %.1f\nimplementation %s\n",
              files.size(), static_cast<unsigned long long>(docs),
              static_cast<unsigned long long>(bytes), best, static_cast<double>(bytes) / 1e6 / best,
              simdjson::get_active_implementation()->name().c_str());
  return 0;
}
