#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{
      "vigil: continuous compliance for AWS resource configurations.\n"
      "Evaluates AWS Config managed rules over configuration items with AWS's own verdicts."};
  app.set_version_flag("--version", "vigil 0.1.0");
  app.require_subcommand(1);
  int exit_code = vigil::cli::kExitOk;
  vigil::cli::AddEvaluate(app, exit_code);
  vigil::cli::AddReport(app, exit_code);
  vigil::cli::AddRules(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : vigil::cli::kExitUsage;
  }
  return exit_code;
}
