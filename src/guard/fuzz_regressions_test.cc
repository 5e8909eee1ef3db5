// Feeds every saved input under fuzz/regressions/fuzz_guard_parse/ through the fuzzer's entry
// point (fuzz_parse.h): each must return without crashing (the dev preset runs this under ASan
// and UBSan) and give the same digest twice.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "guard/fuzz_parse.h"
#include "guard/guard_test_util.h"

namespace vigil::guard {
namespace {

std::uint64_t RunInput(const std::string& bytes) {
  return FuzzParse(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

TEST(GuardFuzzRegressions, SavedInputs) {
  const auto dir = testing::SourceDir() / "fuzz" / "regressions" / "fuzz_guard_parse";
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    const std::string bytes = testing::ReadFile(f);
    EXPECT_EQ(RunInput(bytes), RunInput(bytes));
  }
}

TEST(GuardFuzzRegressions, SyntaxErrorsAreFlagged) {
  EXPECT_NE(RunInput("rule r {") >> 62, 0u);
  EXPECT_EQ(RunInput("rule r { a exists }") >> 62, 0u);
}

}  // namespace
}  // namespace vigil::guard
