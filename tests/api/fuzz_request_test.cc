// Feeds every saved input under fuzz/regressions/fuzz_api_request/ through the fuzzer's entry
// point (src/api/fuzz_request.h): each must return without crashing (ASan and UBSan in the dev
// preset) with a well-formed response.
#include "api/fuzz_request.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "../test_util.h"

namespace vigil::api {
namespace {

std::uint64_t RunRequest(const std::string& bytes) {
  return FuzzRequest(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

std::uint64_t HttpStatus(std::uint64_t digest) { return digest >> 32; }

TEST(ApiFuzzRegressions, SavedInputs) {
  const auto dir =
      std::filesystem::path(VIGIL_SOURCE_DIR) / "fuzz" / "regressions" / "fuzz_api_request";
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    const std::uint64_t status = HttpStatus(RunRequest(testing_util::ReadFile(f.string())));
    EXPECT_TRUE(status == 200 || status == 400) << status;
  }
}

TEST(ApiFuzzRegressions, StatusesAreAws) {
  EXPECT_EQ(HttpStatus(RunRequest("DescribeConfigRules\n{}")), 200u);
  EXPECT_EQ(HttpStatus(RunRequest("DescribeConfigRules\n{\"ConfigRuleNames\": [")), 400u);
  EXPECT_EQ(HttpStatus(RunRequest("DescribeConfigRules\nAWS4-HMAC-SHA256 garbage\n{}")), 400u);
}

}  // namespace
}  // namespace vigil::api
