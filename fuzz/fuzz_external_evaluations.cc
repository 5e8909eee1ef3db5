// libFuzzer target fuzz_external_evaluations: see fuzz/targets.h and docs/fuzzing.md.
#include "targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  vigil::fuzz::ExternalEvaluations(data, size);
  return 0;
}
