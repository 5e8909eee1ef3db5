// libFuzzer target fuzz_fact: see fuzz/targets.h and docs/fuzzing.md.
#include "targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  vigil::fuzz::Fact(data, size);
  return 0;
}
