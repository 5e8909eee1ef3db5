// libFuzzer target fuzz_gunzip: see fuzz/targets.h and docs/fuzzing.md.
#include "targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  vigil::fuzz::Gunzip(data, size);
  return 0;
}
