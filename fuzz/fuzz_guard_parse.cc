// libFuzzer target: the Guard rules-file parser (guard::Parse) and the tree dump.
// See src/guard/fuzz_parse.h and docs/fuzzing.md.
#include <cstddef>
#include <cstdint>

#include "guard/fuzz_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  vigil::guard::FuzzParse(data, size);
  return 0;
}
