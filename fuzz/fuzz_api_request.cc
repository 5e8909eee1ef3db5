// libFuzzer target fuzz_api_request: see src/api/fuzz_request.h and docs/fuzzing.md.
#include "api/fuzz_request.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  vigil::api::FuzzRequest(data, size);
  return 0;
}
