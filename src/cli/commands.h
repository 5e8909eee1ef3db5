// vigil's subcommands. Each Add* registers one subcommand on the CLI11 app; its callback sets
// the process exit code through `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

namespace vigil::cli {

void AddEvaluate(CLI::App& app, int& exit_code);
void AddReport(CLI::App& app, int& exit_code);
void AddRules(CLI::App& app, int& exit_code);
void AddFacts(CLI::App& app, int& exit_code);
void AddPacks(CLI::App& app, int& exit_code);
void AddGuard(CLI::App& app, int& exit_code);
void AddServe(CLI::App& app, int& exit_code);
void AddImport(CLI::App& app, int& exit_code);

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInputErrors = 1;   // some input could not be read; the rest was evaluated
inline constexpr int kExitUsage = 2;         // bad command line or unusable rules
inline constexpr int kExitNonCompliant = 3;  // --fail-on-non-compliant and something is

}  // namespace vigil::cli
