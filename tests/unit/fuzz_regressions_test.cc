// Feeds every saved fuzzer input under fuzz/regressions/<target>/ (crashers found by the
// libFuzzer targets, and hand-made nasty inputs) through the same entry point the fuzzer runs
// (fuzz/targets.h). Each must return without crashing (the dev preset runs this under ASan and
// UBSan), and return the same digest twice. A few inputs also have their outcome pinned.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../../fuzz/targets.h"

namespace vigil {
namespace {
namespace fs = std::filesystem;

using Entry = std::uint64_t (*)(const std::uint8_t*, size_t);

fs::path RegressionDir(const std::string& target) {
  return fs::path(VIGIL_SOURCE_DIR) / "fuzz" / "regressions" / target;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::uint64_t Run(Entry entry, const std::string& bytes) {
  return entry(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

std::uint64_t RunFile(Entry entry, const std::string& target, const std::string& name) {
  const fs::path p = RegressionDir(target) / name;
  EXPECT_TRUE(fs::exists(p)) << p;
  return Run(entry, ReadAll(p));
}

void RunAll(const std::string& target, Entry entry) {
  const fs::path dir = RegressionDir(target);
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty()) << dir;
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    const std::string bytes = ReadAll(f);
    const std::uint64_t first = Run(entry, bytes);
    EXPECT_EQ(first, Run(entry, bytes)) << "not deterministic";
  }
}

constexpr std::uint64_t kNotOk = std::uint64_t{1} << 62;  // Gunzip, Timestamp: an error

std::uint64_t IngestItems(std::uint64_t digest) { return fuzz::IngestDigest::Unpack(digest).items; }
std::uint64_t IngestErrors(std::uint64_t digest) {
  return fuzz::IngestDigest::Unpack(digest).errors;
}
bool IngestFailed(std::uint64_t digest) { return fuzz::IngestDigest::Unpack(digest).failed; }

TEST(FuzzRegressions, Ingest) { RunAll("fuzz_ingest", fuzz::Ingest); }
TEST(FuzzRegressions, Gunzip) { RunAll("fuzz_gunzip", fuzz::Gunzip); }
TEST(FuzzRegressions, ConfigRule) { RunAll("fuzz_config_rule", fuzz::ConfigRules); }
TEST(FuzzRegressions, Yaml) { RunAll("fuzz_yaml", fuzz::Yaml); }
TEST(FuzzRegressions, Timestamp) { RunAll("fuzz_timestamp", fuzz::Timestamp); }
TEST(FuzzRegressions, Fact) { RunAll("fuzz_fact", fuzz::Fact); }
TEST(FuzzRegressions, Pack) { RunAll("fuzz_pack", fuzz::Pack); }
TEST(FuzzRegressions, ExternalEvaluations) {
  RunAll("fuzz_external_evaluations", fuzz::ExternalEvaluations);
}

TEST(FuzzRegressions, PackOutcomes) {
  // An alias bomb is refused, not expanded.
  const std::uint64_t bomb = RunFile(fuzz::Pack, "fuzz_pack", "alias-bomb.yaml");
  EXPECT_GE(bomb, std::uint64_t{1} << 20);
  // A condition that refers to itself is an error, not a stack overflow.
  EXPECT_GE(RunFile(fuzz::Pack, "fuzz_pack", "condition-self-cycle.yaml"), std::uint64_t{1} << 20);
}

TEST(FuzzRegressions, IngestOutcomes) {
  const auto run = [](const char* name) { return RunFile(fuzz::Ingest, "fuzz_ingest", name); };
  // Nothing to read, or not JSON: an error for the file, no items.
  for (const char* name : {"empty", "whitespace-only", "deep-array", "deep-array-closed",
                           "number-root", "string-root", "invalid-utf8", "nul-bytes"}) {
    SCOPED_TRACE(name);
    const auto d = run(name);
    EXPECT_TRUE(IngestFailed(d));
    EXPECT_EQ(IngestItems(d), 0u);
  }
  // One item rejected, the file itself fine.
  for (const char* name : {"configuration-number", "configuration-array-string",
                           "configuration-bad-json-string", "status-unknown", "capture-time-bad"}) {
    SCOPED_TRACE(name);
    const auto d = run(name);
    EXPECT_FALSE(IngestFailed(d));
    EXPECT_EQ(IngestItems(d), 0u);
    EXPECT_EQ(IngestErrors(d), 1u);
  }
  // Read as items.
  for (const char* name : {"configuration-null-string", "configuration-null", "deep-configuration",
                           "supplementary-triple-encoded", "tags-odd", "resource-id-number"}) {
    SCOPED_TRACE(name);
    const auto d = run(name);
    EXPECT_FALSE(IngestFailed(d));
    EXPECT_EQ(IngestItems(d), 1u);
    EXPECT_EQ(IngestErrors(d), 0u);
  }
  {
    const auto d = run("items-not-objects");  // [1,"a",null,[],{}]: five bad items
    EXPECT_EQ(IngestItems(d), 0u);
    EXPECT_EQ(IngestErrors(d), 5u);
  }
  {
    // Two good lines; "{" (not JSON) and "x" (not a CI) reported; "[]" is an empty list.
    const auto d = run("jsonl-garbage-lines");
    EXPECT_FALSE(IngestFailed(d));
    EXPECT_EQ(IngestItems(d), 2u);
    EXPECT_EQ(IngestErrors(d), 2u);
  }
  {
    const auto d = run("results-mixed");  // a string CI and an object CI read; "{bad" reported
    EXPECT_EQ(IngestItems(d), 2u);
    EXPECT_GE(IngestErrors(d), 1u);
  }
  EXPECT_EQ(IngestItems(run("account-level-types")), 7u);
}

TEST(FuzzRegressions, GunzipOutcomes) {
  const auto run = [](const char* name) { return RunFile(fuzz::Gunzip, "fuzz_gunzip", name); };
  const std::uint64_t valid = run("valid.json.gz");
  ASSERT_NE(valid, kNotOk);
  EXPECT_EQ(run("concatenated-members"), 2 * valid);
  EXPECT_EQ(run("bomb-1mb"), std::uint64_t{1} << 20);
  // A wrong ISIZE is corrupt data (libdeflate checks it), and a huge one must not make vigil
  // allocate 4 GiB first (found by fuzz_gunzip: oom-isize-4gib).
  for (const char* name :
       {"isize-huge", "isize-small", "magic-only", "truncated-header", "truncated-body",
        "truncated-trailer", "crc-wrong", "member-then-garbage", "oom-isize-4gib"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(run(name), kNotOk);
  }
}

TEST(FuzzRegressions, ZeroByteFiles) {
  EXPECT_TRUE(IngestFailed(fuzz::Ingest(nullptr, 0)));
  EXPECT_EQ(fuzz::Gunzip(nullptr, 0), kNotOk);  // just the magic
  EXPECT_EQ(fuzz::Fact(nullptr, 0) & 0xff, 0u);
  EXPECT_EQ(fuzz::Timestamp(nullptr, 0), kNotOk);
  fuzz::Yaml(nullptr, 0);
  fuzz::ConfigRules(nullptr, 0);
}

}  // namespace
}  // namespace vigil
