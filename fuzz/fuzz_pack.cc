// libFuzzer target fuzz_pack: see fuzz/targets.h and docs/fuzzing.md.
#include "targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  vigil::fuzz::Pack(data, size);
  return 0;
}
