// Diagnostics for the user, on stderr. Warnings and errors are counted so a command can set its
// exit status from them.
#pragma once

#include <string_view>

namespace vigil::log {

void Warn(std::string_view message);
void Error(std::string_view message);
void Info(std::string_view message);
// Silences Info (for --quiet and machine-readable output on stdout).
void SetQuiet(bool quiet);
int WarningCount();
int ErrorCount();

}  // namespace vigil::log
