// Helpers shared by the end-to-end tests that run vigil's binaries and scripts.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace vigil::testing_util {

struct Output {
  int status = -1;  // exit status, -1 if the command did not exit normally
  std::string out;  // what it wrote to stdout
};

// Runs a shell command and captures its stdout (redirect stderr in `cmd` to see it).
inline Output Sh(const std::string& cmd) {
  Output o;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return o;
  std::array<char, 65536> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) o.out.append(buf.data(), n);
  const int rc = pclose(p);
  o.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return o;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace vigil::testing_util
