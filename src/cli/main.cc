#include <malloc.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "cli/commands.h"

int main(int argc, char** argv) {
  // vigil allocates and frees many MB-sized buffers per input file. glibc would serve each with a
  // fresh mmap and unmap it on free, so every file paid for page faults on new memory; keeping
  // freed memory in the heap lets the next file reuse it.
  mallopt(M_MMAP_THRESHOLD, 512 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  CLI::App app{
      "vigil: continuous compliance for AWS resource configurations.\n"
      "Evaluates AWS Config managed rules over configuration items with AWS's own verdicts."};
  app.set_version_flag("--version", "vigil 0.1.0");
  app.require_subcommand(1);
  int exit_code = vigil::cli::kExitOk;
  vigil::cli::AddEvaluate(app, exit_code);
  vigil::cli::AddReport(app, exit_code);
  vigil::cli::AddRules(app, exit_code);
  vigil::cli::AddFacts(app, exit_code);
  vigil::cli::AddPacks(app, exit_code);
  vigil::cli::AddGuard(app, exit_code);
  vigil::cli::AddServe(app, exit_code);
  vigil::cli::AddImport(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : vigil::cli::kExitUsage;
  }
#ifdef NDEBUG
  // Release builds skip tearing down what the run built (millions of small objects): the
  // output is flushed and the operating system frees the memory at once.
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(exit_code);
#else
  return exit_code;
#endif
}
