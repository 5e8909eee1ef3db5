#include "common/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace vigil::log {
namespace {
std::atomic<int> warnings{0};
std::atomic<int> errors{0};
std::atomic<bool> quiet{false};
std::mutex mu;

void Emit(const char* level, std::string_view m) {
  std::lock_guard lock(mu);
  std::fprintf(stderr, "vigil: %s%.*s\n", level, static_cast<int>(m.size()), m.data());
}
}  // namespace

void Warn(std::string_view m) {
  ++warnings;
  Emit("warning: ", m);
}
void Error(std::string_view m) {
  ++errors;
  Emit("error: ", m);
}
void Info(std::string_view m) {
  if (!quiet) Emit("", m);
}
void SetQuiet(bool q) { quiet = q; }
int WarningCount() { return warnings; }
int ErrorCount() { return errors; }

}  // namespace vigil::log
