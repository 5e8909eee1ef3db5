// The HTTP/1.1 front of `vigil serve` (cpp-httplib): accepts connections on a thread pool and
// hands every request, whatever its method and path, to a Service.
//
// A slow client holds one pool thread at most `read_timeout_seconds` per read, never the
// others; a body larger than `max_body_bytes` is refused with 413 before it is read.
#pragma once

#include <memory>
#include <string>

#include "api/service.h"
#include "common/status.h"

namespace httplib {
class Server;
}

namespace vigil::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 4580;  // 0: any free port (see Server::port)
  size_t threads = 32;
  size_t max_body_bytes = 8 << 20;
  int read_timeout_seconds = 10;
  int keep_alive_seconds = 5;
};

class Server {
 public:
  Server(const Service& service, ServerOptions options);
  ~Server();

  // Binds the listening socket; after it, port() is the port actually bound.
  Status Bind();
  int port() const { return port_; }
  // Serves until Stop() is called (from another thread or a signal-handling thread).
  Status Run();
  void Stop();

 private:
  const Service& service_;
  ServerOptions options_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = 0;
};

}  // namespace vigil::api
