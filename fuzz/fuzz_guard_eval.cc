// libFuzzer target: the Guard evaluator (rules and a data document, separated by a NUL byte).
// See src/guard/fuzz_eval.h and docs/fuzzing.md.
#include <cstddef>
#include <cstdint>

#include "guard/fuzz_eval.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  vigil::guard::FuzzEval(data, size);
  return 0;
}
