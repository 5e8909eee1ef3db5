#include "api/server.h"

#include <httplib.h>

namespace vigil::api {

Server::Server(const Service& service, ServerOptions options)
    : service_(service), options_(std::move(options)), http_(std::make_unique<httplib::Server>()) {
  const size_t threads = options_.threads;
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_->set_payload_max_length(options_.max_body_bytes);
  http_->set_read_timeout(options_.read_timeout_seconds, 0);
  http_->set_write_timeout(options_.read_timeout_seconds, 0);
  http_->set_keep_alive_timeout(options_.keep_alive_seconds);
  http_->set_keep_alive_max_count(1000);
  // Headers and body go out in separate writes; with Nagle's algorithm the body would wait for
  // the client's delayed ACK (40 ms a call).
  http_->set_tcp_nodelay(true);
  // Every request, whatever its method and path, goes to the service: AWS answers unsigned and
  // unknown requests with its own errors, not with 404. (A pre-routing handler would run before
  // the body is read.)
  const auto handle = [this](const httplib::Request& req, httplib::Response& res) {
    aws::HttpRequest request;
    request.method = req.method;
    const size_t q = req.target.find('?');
    request.path = req.target.substr(0, q);
    if (q != std::string::npos) request.query = req.target.substr(q + 1);
    for (const auto& [name, value] : req.headers) {
      if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
          name == "LOCAL_PORT") {
        continue;
      }
      request.headers.push_back({name, value});
    }
    request.body = req.body;
    HttpResponse r = service_.Handle(request, NowMillis());
    res.status = r.status;
    std::string content_type = "application/x-amz-json-1.1";
    for (const aws::Header& h : r.headers) {
      if (h.name == "Content-Type") {
        content_type = h.value;
      } else {
        res.set_header(h.name, h.value);
      }
    }
    res.set_content(std::move(r.body), content_type);
  };
  http_->Post(".*", handle);
  http_->Get(".*", handle);
  http_->Put(".*", handle);
  http_->Delete(".*", handle);
  http_->Patch(".*", handle);
}

Server::~Server() = default;

Status Server::Bind() {
  if (options_.port == 0) {
    port_ = http_->bind_to_any_port(options_.host);
    if (port_ <= 0) return Status::Error("cannot listen on " + options_.host);
    return Status::Ok();
  }
  if (!http_->bind_to_port(options_.host, options_.port)) {
    return Status::Error("cannot listen on " + options_.host + ":" + std::to_string(options_.port));
  }
  port_ = options_.port;
  return Status::Ok();
}

Status Server::Run() {
  if (!http_->listen_after_bind()) return Status::Error("the server stopped on an error");
  return Status::Ok();
}

void Server::Stop() { http_->stop(); }

}  // namespace vigil::api
