// The floor of the Guard benchmark (bench/guard/run): what merely reading the data files and
// parsing them with simdjson costs, on all cores, without any Guard work — the baseline
// `vigil guard validate`'s time is compared with, beside cfn-guard's.
//
//   guard_bench [--threads N] DATA
//
// DATA is a file or a folder (walked recursively, files in name order, as validate walks them).
// Each file is opened, read whole, and parsed by simdjson's DOM parser (the kernel chosen at run
// time for the CPU, one reused parser per thread). Prints "files N bytes B values V" on stdout
// and exits 0, or 1 when a file cannot be read or is not JSON.
#include <fcntl.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

void Walk(const fs::path& p, std::vector<fs::path>& out) {
  std::error_code ec;
  if (!fs::is_directory(p, ec)) {
    out.push_back(p);
    return;
  }
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(p, ec)) entries.push_back(e.path());
  std::sort(entries.begin(), entries.end());
  for (const auto& e : entries) Walk(e, out);
}

// Reads `path` into `buf` (with simdjson's padding after it); false when it cannot.
bool Read(const fs::path& path, std::vector<char>& buf, size_t& size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return false;
  }
  size = static_cast<size_t>(st.st_size);
  if (buf.size() < size + simdjson::SIMDJSON_PADDING) buf.resize(size + simdjson::SIMDJSON_PADDING);
  size_t got = 0;
  while (got < size) {
    const ssize_t n = ::read(fd, buf.data() + got, size - got);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  size = got;
  return true;
}

// The number of values (scalars and containers) under `e`, so the parse cannot be skipped.
size_t Count(simdjson::dom::element e) {
  size_t n = 1;
  if (e.is_array()) {
    const simdjson::dom::array a = e.get_array().value_unsafe();
    for (simdjson::dom::element x : a) n += Count(x);
  } else if (e.is_object()) {
    const simdjson::dom::object o = e.get_object().value_unsafe();
    for (simdjson::dom::key_value_pair kv : o) n += Count(kv.value);
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  size_t threads = std::max(1u, std::thread::hardware_concurrency());
  std::string data;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--threads" && i + 1 < argc) {
      threads = static_cast<size_t>(std::max(1, std::atoi(argv[++i])));
    } else if (a == "-h" || a == "--help") {
      std::puts("usage: guard_bench [--threads N] DATA");
      return 0;
    } else {
      data = a;
    }
  }
  if (data.empty()) {
    std::fputs("usage: guard_bench [--threads N] DATA\n", stderr);
    return 2;
  }
  std::vector<fs::path> paths;
  Walk(data, paths);
  std::atomic<size_t> next{0}, bytes{0}, values{0}, failures{0};
  std::vector<std::thread> pool;
  for (size_t t = 0; t < std::min(threads, paths.size()); ++t)
    pool.emplace_back([&] {
      simdjson::dom::parser parser;
      std::vector<char> buf;
      for (size_t i = next++; i < paths.size(); i = next++) {
        size_t size = 0;
        simdjson::dom::element root;
        if (!Read(paths[i], buf, size) || parser.parse(buf.data(), size, false).get(root)) {
          ++failures;
          continue;
        }
        bytes += size;
        values += Count(root);
      }
    });
  for (auto& t : pool) t.join();
  std::printf("files %zu bytes %zu values %zu\n", paths.size(), bytes.load(), values.load());
  return failures ? 1 : 0;
}
