#include "http/server/http_server.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <chrono>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <regex>
#include <thread>

#include "core/error.h"
#include "http/server/connection_stream.h"
#include "http/server/cors.h"
#include "http/server/error_status.h"
#include "http/server/guarded_server.h"
#include "http/server/head_lines.h"
#include "http/server/request_guard.h"
#include "http/server/security_headers.h"

namespace soundlens::http {
namespace {

// Per worker thread: httplib runs a request's pre-routing handler, route and
// logger on the same thread, so this carries timing and the analysis id.
struct RequestContext {
  std::chrono::steady_clock::time_point start{};
  std::string analysis_id;
};
thread_local RequestContext current;

// Error bodies built here may echo the request path, which need not be UTF-8.
std::string json_text(const nlohmann::json& body) {
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string error_json(int status, ErrorCode code, const std::string& message) {
  auto body = error_body(code, message);
  body["error"]["status"] = status;
  return json_text(body);
}

const char* status_text(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

// A whole response, closing the connection, for answers given without the library: by the
// connection reactor (408, 431, 503) and by the gate, before a request's body is read.
std::string whole_response(const Response& response) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + status_text(response.status) + "\r\n";
  for (const auto& [name, value] : security_headers(response.content_type)) out += name + ": " + value + "\r\n";
  for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
  out += "Content-Type: " + response.content_type + "\r\nContent-Length: " + std::to_string(response.body.size()) +
         "\r\nConnection: close\r\n\r\n" + response.body;
  return out;
}

Response error_response_for(int status, ErrorCode code, const std::string& message) {
  Response response;
  response.status = status;
  response.body = error_json(status, code, message);
  if (status == 503) response.headers.emplace_back("Retry-After", "1");
  return response;
}

std::string refusal_response(int status, const std::string& message) {
  return whole_response(error_response_for(status, error_code_for_status(status), message));
}

std::optional<std::string> header(const httplib::Request& req, const char* name) {
  if (!req.has_header(name)) return std::nullopt;
  return req.get_header_value(name);
}

RequestHead request_head(const httplib::Request& req) {
  return {req.method, header(req, "Host"), header(req, "Content-Length"), header(req, "Content-Encoding"),
          header(req, "Transfer-Encoding")};
}

std::uint64_t content_length(const httplib::Request& req) {
  return std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10);
}

bool has_body(const httplib::Request& req) {
  return req.has_header("Transfer-Encoding") || content_length(req) > 0;
}

bool is_chunked(const httplib::Request& req) {
  std::string value = req.get_header_value("Transfer-Encoding");
  std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return value.find("chunked") != std::string::npos;
}

// The last line read of a chunked body that failed: a chunk-size line starts
// with a hex digit. An empty one is the body's end (or cannot be told apart from it).
bool could_be_chunk_size(const std::string& line) {
  return line.empty() || std::isxdigit(static_cast<unsigned char>(line.front()));
}

// The connection cannot carry another request (its body was not read, or not to the end).
void close_connection_after(const httplib::Request& req) {
  auto& headers = const_cast<httplib::Request&>(req).headers;
  headers.erase("Connection");
  headers.emplace("Connection", "close");
  if (auto* stream = ConnectionStream::current()) stream->close_after_response();
}

// "/api/v1/analyses/{id}/figure.png" -> "/api/v1/analyses/([^/]+)/figure\.png"
std::string path_regex(const std::string& path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      const auto close = path.find('}', i);
      out += path.compare(close - 3, 3, "...") == 0 ? "(.+)" : "([^/]+)";
      i = close;
    } else if (std::string_view(".+*?^$()[]|\\").find(path[i]) != std::string_view::npos) {
      out += '\\';
      out += path[i];
    } else {
      out += path[i];
    }
  }
  return out;
}

Request to_request(const httplib::Request& in, const std::vector<std::string>& path_names) {
  Request out;
  out.method = in.method;
  out.path = in.path;
  for (std::size_t i = 0; i < path_names.size() && i + 1 < in.matches.size(); ++i)
    out.path_params[path_names[i]] = in.matches[i + 1].str();
  for (const auto& [name, value] : in.params) out.query.emplace(name, value);
  if (in.has_header("Authorization")) out.authorization = in.get_header_value("Authorization");
  for (const auto& [name, part] : in.files)
    out.parts.emplace(name, UploadedPart{part.filename, part.content});
  out.content_type = in.get_header_value("Content-Type");
  if (in.has_header("Cookie")) out.cookie = in.get_header_value("Cookie");
  if (in.has_header("X-CSRF-Token")) out.csrf_token = in.get_header_value("X-CSRF-Token");
  out.remote_addr = in.remote_addr;
  if (const auto* stream = ConnectionStream::current()) out.connection_fd = stream->socket();
  // Raw bodies: JSON, and the PCM chunks of live sessions (application/octet-stream).
  if (in.method == "PATCH" || (in.method == "POST" && (out.content_type.rfind("application/json", 0) == 0 ||
                                                       out.content_type.rfind("application/octet-stream", 0) == 0)))
    out.body = in.body;
  return out;
}

// httplib 0.11 answers an unsatisfiable range with a bogus 206; catch it first.
bool ranges_satisfiable(const httplib::Ranges& ranges, std::size_t size) {
  for (const auto& [first, last] : ranges) {
    if (first < 0 && last <= 0) return false;                          // "bytes=-0"
    if (first >= 0 && (std::size_t(first) >= size || (last >= 0 && last < first))) return false;
  }
  return true;
}

void stream_file(const std::string& path, const std::string& content_type, const httplib::Request& req,
                 httplib::Response& res) {
  auto file = std::make_shared<std::ifstream>(path, std::ios::binary);
  if (!*file) throw Error(ErrorCode::not_found, "stored file is missing");
  file->seekg(0, std::ios::end);
  const auto size = std::size_t(file->tellg());
  if (!ranges_satisfiable(req.ranges, size)) {
    // The request object is ours to change; clearing keeps httplib from slicing the error body.
    const_cast<httplib::Request&>(req).ranges.clear();
    auto body = error_body(ErrorCode::bad_request, "range not satisfiable: the file has " + std::to_string(size) +
                                                       " bytes");
    body["error"]["status"] = 416;
    res.status = 416;
    res.set_header("Content-Range", "bytes */" + std::to_string(size));
    res.set_content(json_text(body), "application/json");
    return;
  }
  res.set_header("Accept-Ranges", "bytes");
  // httplib slices the provider's output for Range requests and picks 200/206.
  res.set_content_provider(size, content_type,
                           [file](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                             std::vector<char> buffer(std::min<std::size_t>(length, 64 * 1024));
                             file->clear();
                             file->seekg(std::streamoff(offset));
                             file->read(buffer.data(), std::streamsize(buffer.size()));
                             const auto got = std::size_t(file->gcount());
                             return got > 0 && sink.write(buffer.data(), got);
                           });
}

// httplib compresses text bodies itself, preferring Brotli at its slowest
// quality (about 2 s for a spectrogram's JSON); gzip is 40 times faster at
// nearly the same size, so Brotli is taken off the request's list.
void prefer_gzip(const httplib::Request& req) {
  auto& headers = const_cast<httplib::Request&>(req).headers;
  auto it = headers.find("Accept-Encoding");
  if (it == headers.end() || it->second.find("br") == std::string::npos) return;
  it->second = it->second.find("gzip") != std::string::npos ? "gzip" : "identity";
}

// Static text files (the web app's scripts and styles) are small: send them
// as bodies so that they are compressed like any other text response.
bool is_compressible_text(const std::string& content_type) {
  for (const char* type : {"text/", "application/javascript", "application/json", "image/svg+xml"})
    if (content_type.rfind(type, 0) == 0) return true;
  return false;
}

std::optional<std::string> read_small_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(file), {});
}

// A body produced while it is sent. Not compressed: a compressor would hold
// back each event until its buffer fills.
void stream_body(const Response& in, const httplib::Request& req, httplib::Response& out) {
  auto& headers = const_cast<httplib::Request&>(req).headers;
  headers.erase("Accept-Encoding");
  const_cast<httplib::Request&>(req).ranges.clear();
  out.status = in.status;
  out.set_chunked_content_provider(in.content_type, [produce = in.stream](std::size_t, httplib::DataSink& sink) {
    produce([&sink](const std::string& piece) { return sink.is_writable() && sink.write(piece.data(), piece.size()); });
    sink.done();
    return true;
  });
}

void write_response(const Response& in, const httplib::Request& req, httplib::Response& out) {
  for (const auto& [name, value] : in.headers) out.set_header(name, value);
  current.analysis_id = in.analysis_id;
  if (in.stream) return stream_body(in, req, out);
  prefer_gzip(req);
  if (in.file_path && req.ranges.empty() && is_compressible_text(in.content_type)) {
    if (auto body = read_small_file(*in.file_path)) {
      out.status = in.status;
      out.set_content(std::move(*body), in.content_type);
      return;
    }
  }
  if (in.file_path) {
    stream_file(*in.file_path, in.content_type, req, out);  // status left to httplib (200 or 206)
    return;
  }
  // Ranges apply to files only; httplib would otherwise cut JSON and error bodies.
  const_cast<httplib::Request&>(req).ranges.clear();
  out.status = in.status;
  out.set_content(in.body, in.content_type);
}

ConnectionLimits connection_limits(const ServerOptions& o) {
  ConnectionLimits limits;
  limits.reactor.header_timeout = std::chrono::seconds(std::min(o.header_timeout_s, o.request_timeout_s));
  limits.reactor.keep_alive_timeout = std::chrono::seconds(o.keep_alive_timeout_s);
  limits.reactor.max_connections = std::size_t(std::max(1, o.max_connections));
  limits.request_timeout = std::chrono::seconds(o.request_timeout_s);
  limits.max_body_bytes = o.max_body_bytes;
  limits.read_timeout_ms = o.read_timeout_s * 1000;
  limits.write_timeout_ms = o.write_timeout_s * 1000;
  limits.worker_threads = std::max(2, o.worker_threads);
  limits.reactor.request_timeout = limits.request_timeout;
  limits.reactor.read_timeout = std::chrono::seconds(o.read_timeout_s);
  limits.reactor.min_body_rate = {o.min_body_bytes_per_s, std::chrono::seconds(o.body_rate_grace_s)};
  limits.reactor.max_buffered_body = o.max_buffered_body_bytes;
  limits.body_memory_bytes = o.body_memory_bytes;
  limits.body_streams = std::max(1, o.body_streams);
  return limits;
}

}  // namespace

struct HttpServer::Impl {
  Impl(ServerOptions o, HeadCheck check)
      : options(std::move(o)),
        head_check(std::move(check)),
        server(connection_limits(options), refusal_response,
               [this](const HeadLines& head) { return check_head(head); }, bool(head_check)),
        hosts(options.allowed_hosts, options.host) {}

  // A route as the library matches it, for the gate.
  struct CompiledRoute {
    std::string method, operation_id;
    std::regex pattern;
    std::vector<std::string> path_names;
  };

  ServerOptions options;
  HeadCheck head_check;
  std::vector<RouteSpec> routes;  // the table given (Request::route points into it)
  std::map<std::string, Handler> handlers;
  GuardedServer server;
  HostAllowList hosts;
  std::vector<RegisteredRoute> registered;
  std::vector<CompiledRoute> compiled;
  std::unique_ptr<CorsPolicy> cors;
  // httplib's stop() does nothing until its listen loop is running, so a
  // stop() that comes first (a signal, a failed model load) is remembered here.
  std::mutex run_mutex;
  bool stop_requested = false, run_started = false, run_finished = false;

  void register_routes();
  void install_hooks();
  // Refuses a request from its head alone (Host, encoding, size), before its body is read.
  bool refuse_early(const httplib::Request& req, httplib::Response& res);
  // The gate, for a request with a body: the same checks, the route, and the route's access rule
  // (head_check); the whole response that refuses it, if any.
  std::optional<std::string> check_head(const HeadLines& head);
  std::optional<Response> check_head_access(const HeadLines& head);
  std::string transport_error_message(const httplib::Request& req, int& status) const;
};

bool HttpServer::Impl::refuse_early(const httplib::Request& req, httplib::Response& res) {
  const auto refusal =
      check_request_head(request_head(req), hosts, {options.max_body_bytes, options.max_upload_bytes});
  if (!refusal) return false;
  if (has_body(req)) close_connection_after(req);
  res.status = refusal->status;
  res.set_content(error_json(refusal->status, refusal->code, refusal->message), "application/json");
  return true;
}

std::optional<std::string> HttpServer::Impl::check_head(const HeadLines& head) {
  const auto start = std::chrono::steady_clock::now();
  std::optional<Response> refusal;
  const RequestHead guard_head{head.method, head.header("Host"), head.header("Content-Length"),
                               head.header("Content-Encoding"), head.header("Transfer-Encoding")};
  if (const auto r = check_request_head(guard_head, hosts, {options.max_body_bytes, options.max_upload_bytes}))
    refusal = error_response_for(r->status, r->code, r->message);
  else
    try {
      refusal = check_head_access(head);
    } catch (const std::exception&) {
      // The store could not say (it is down?): the route checks again with the body, and its
      // failure goes through the error funnel.
    }
  if (!refusal) return std::nullopt;
  const std::string origin = head.header("Origin").value_or("");
  if (cors && cors->allows(origin)) {
    refusal->headers.emplace_back("Access-Control-Allow-Origin", origin);
    refusal->headers.emplace_back("Vary", "Origin");
  }
  const std::string path = httplib::detail::decode_url(head.target.substr(0, head.target.find('?')), false);
  write_log_line(options.log_format,
                 {head.method, path, refusal->status,
                  std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count(), ""});
  return whole_response(*refusal);
}

// The route the library would pick (the same patterns on the same decoded path), and its access
// rule. A body for no route at all is refused here too: the library would read it only to say 404.
std::optional<Response> HttpServer::Impl::check_head_access(const HeadLines& head) {
  const auto question = head.target.find('?');
  const std::string path = httplib::detail::decode_url(head.target.substr(0, question), false);
  std::smatch matches;
  const auto route = std::find_if(compiled.begin(), compiled.end(), [&](const CompiledRoute& r) {
    return r.method == head.method && std::regex_match(path, matches, r.pattern);
  });
  if (route == compiled.end()) {
    for (const char* method : {"POST", "PUT", "PATCH", "DELETE"})
      if (head.method == method)
        return error_response_for(404, ErrorCode::not_found, "no route for " + head.method + " " + path);
    return std::nullopt;
  }
  if (!head_check) return std::nullopt;
  Request request;
  request.method = head.method;
  request.path = path;
  for (std::size_t i = 0; i < route->path_names.size() && i + 1 < matches.size(); ++i)
    request.path_params[route->path_names[i]] = matches[i + 1].str();
  if (question != std::string::npos) {
    httplib::Params params;
    httplib::detail::parse_query_text(head.target.substr(question + 1), params);
    for (const auto& [name, value] : params) request.query.emplace(name, value);
  }
  request.authorization = head.header("Authorization");
  request.cookie = head.header("Cookie").value_or("");
  request.csrf_token = head.header("X-CSRF-Token");
  request.content_type = head.header("Content-Type").value_or("");
  return head_check(route->operation_id, request);
}

// Why the library answered with an error status of its own (no route, a body
// it could not read), in words: the status may change to say it better
// (a body cut off at the size limit is a 413, one cut off by the deadline a 408).
std::string HttpServer::Impl::transport_error_message(const httplib::Request& req, int& status) const {
  using Stop = ConnectionStream::Stop;
  const auto* stream = ConnectionStream::current();
  const Stop stop = stream ? stream->stop() : Stop::none;
  const std::string upload_limit = "upload larger than the limit of " + size_limit_text(options.max_upload_bytes);
  if (stop == Stop::too_many_bytes || status == 413) return status = 413, upload_limit;
  if (stop == Stop::deadline)
    return status = 408, "the request was not received within " + std::to_string(options.request_timeout_s) + " s";
  if (stop == Stop::read_timeout)
    return status = 408, "the client sent nothing for " + std::to_string(options.read_timeout_s) + " s";
  if (stop == Stop::too_slow) return status = 408, stream->too_slow_message();
  if (stop == Stop::closed_by_client) return "the request body ended before it was complete";
  if (status == 400 && req.method != "GET" && req.method != "POST" && req.method != "DELETE" &&
      req.method != "PATCH" && req.method != "HEAD")
    return "method " + req.method + " is not supported";
  if (status == 404) return "no route for " + req.method + " " + quoted_value(req.path);
  if (status == 414) return "the request line is longer than 8 KB";
  if (status == 416) return "the Range header is not valid";
  if (status == 400 && stream && is_chunked(req) && !could_be_chunk_size(stream->last_line()))
    return "the chunked body has an invalid chunk size " + quoted_value(stream->last_line()) +
           " (each chunk starts with its size in hexadecimal digits, then CR LF)";
  const std::string type = req.get_header_value("Content-Type");
  if (status == 400 && type.rfind("multipart/form-data", 0) == 0) {
    if (type.find("boundary=") == std::string::npos)
      return "the multipart/form-data body has no boundary in its Content-Type header";
    if (stream && req.has_header("Content-Length") && stream->body_bytes_read() < content_length(req))
      return "a part of the multipart/form-data body has a header line longer than 8 KB (a file name that "
             "long?), or the body has more than 1024 parts";
    return "the multipart/form-data body ends without its closing boundary line (--BOUNDARY--)";
  }
  if (status == 400) return "the request could not be parsed (request line, headers or body)";
  return "request failed with status " + std::to_string(status);
}

void HttpServer::Impl::register_routes() {
  for (const auto& route : routes) {
    auto handler = handlers.find(route.operation_id);
    if (handler == handlers.end()) throw Error(ErrorCode::internal, "no handler for route " + route.operation_id);
    const auto names = path_parameter_names(route.path);
    auto adapter = [this, handler = handler->second, names, spec = &route](const httplib::Request& req,
                                                                          httplib::Response& res) {
      Request request = to_request(req, names);
      request.route = spec;
      request.server_load = [this] { return server.load(); };
      Response response = call_safely(handler, request);
      if (response.analysis_id.empty() && request.path_params.contains("id"))
        response.analysis_id = request.path_params.at("id");
      try {
        write_response(response, req, res);
      } catch (const Error& e) {
        write_response(error_response(e.code(), e.what()), req, res);
      }
    };
    const std::string pattern = path_regex(route.path);
    compiled.push_back({route.method, route.operation_id, std::regex(pattern), names});
    if (route.method == "GET") server.Get(pattern, adapter);
    else if (route.method == "POST") server.Post(pattern, adapter);
    else if (route.method == "DELETE") server.Delete(pattern, adapter);
    else if (route.method == "PATCH") server.Patch(pattern, adapter);
    else throw Error(ErrorCode::internal, "unsupported method in route table: " + route.method);
    registered.push_back({route.method, route.path});
  }
  for (const auto& [operation, handler] : handlers) {
    if (std::none_of(routes.begin(), routes.end(), [&](const RouteSpec& r) { return r.operation_id == operation; }))
      throw Error(ErrorCode::internal, "handler without a route: " + operation);
  }
}

void HttpServer::Impl::install_hooks() {
  server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    current = {std::chrono::steady_clock::now(), ""};
    if (refuse_early(req, res)) return httplib::Server::HandlerResponse::Handled;
    const std::string origin = req.get_header_value("Origin");
    if (cors && cors->allows(origin)) {
      res.set_header("Access-Control-Allow-Origin", origin);
      res.set_header("Vary", "Origin");
      res.set_header("Access-Control-Expose-Headers", "Retry-After, Content-Range, Accept-Ranges");
    }
    if (req.method != "OPTIONS") return httplib::Server::HandlerResponse::Unhandled;
    // CORS preflight: answered here, it is not an API route.
    res.set_header("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS");
    res.set_header("Access-Control-Allow-Headers", "Content-Type, Range, X-CSRF-Token");
    res.set_header("Access-Control-Max-Age", "600");
    res.status = 204;
    return httplib::Server::HandlerResponse::Handled;
  });
  // A client that waits for "100 Continue" before sending a body is refused before it sends any.
  server.set_expect_100_continue_handler([this](const httplib::Request& req, httplib::Response& res) {
    return refuse_early(req, res) ? res.status : 100;
  });
  // Statuses httplib produces itself (no route, a body it could not read, a
  // bad request line) get the same JSON error body as everything else.
  server.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req,
                                                                        httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // already ours
    if (has_body(req)) close_connection_after(req);  // the body may be unread: the stream is out of step
    int status = res.status;
    const std::string message = transport_error_message(req, status);
    res.status = status;
    res.set_content(error_json(status, error_code_for_status(status), message), "application/json");
    return httplib::Server::HandlerResponse::Handled;
  }));
  server.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    for (const auto& [name, value] : security_headers(res.get_header_value("Content-Type")))
      if (!res.has_header(name.c_str())) res.set_header(name, value);
  });
  server.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    const double ms = current.start == std::chrono::steady_clock::time_point{}
                          ? 0.0
                          : std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                      current.start).count();
    write_log_line(options.log_format, {req.method, req.path, res.status, ms, current.analysis_id});
    current = {};
  });
}

HttpServer::HttpServer(ServerOptions options, std::vector<RouteSpec> routes, std::map<std::string, Handler> handlers,
                       HeadCheck head_check)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(head_check))) {
  impl_->routes = std::move(routes);
  impl_->handlers = std::move(handlers);
  auto& server = impl_->server;
  server.set_payload_max_length(impl_->options.max_body_bytes);
  server.set_read_timeout(impl_->options.read_timeout_s, 0);
  server.set_write_timeout(impl_->options.write_timeout_s, 0);
  impl_->register_routes();
  impl_->install_hooks();
}

HttpServer::~HttpServer() = default;

int HttpServer::bind() {
  auto& o = impl_->options;
  int port = o.port;
  if (port == 0) {
    port = impl_->server.bind_to_any_port(o.host);
    if (port < 0) throw Error(ErrorCode::internal, "cannot bind to " + o.host + " on any port");
  } else if (!impl_->server.bind_to_port(o.host, port)) {
    throw Error(ErrorCode::internal, "cannot bind to " + o.host + ":" + std::to_string(port) +
                                         " (in use? try --port 0 to let the system choose)");
  }
  impl_->server.widen_backlog();
  impl_->cors = std::make_unique<CorsPolicy>(o.cors_origins, o.host, port);
  return port;
}

void HttpServer::run() {
  {
    std::lock_guard lock(impl_->run_mutex);
    if (impl_->stop_requested) return;
    impl_->run_started = true;
  }
  impl_->server.listen_after_bind();
  std::lock_guard lock(impl_->run_mutex);
  impl_->run_finished = true;
}

void HttpServer::stop() {
  {
    std::lock_guard lock(impl_->run_mutex);
    impl_->stop_requested = true;
    if (!impl_->run_started) return;  // run() will see the request and return at once
  }
  // run() has begun: wait until httplib is listening (or has finished), when its stop() takes effect.
  while (!impl_->server.is_running()) {
    {
      std::lock_guard lock(impl_->run_mutex);
      if (impl_->run_finished) return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  impl_->server.stop();
}

const std::vector<RegisteredRoute>& HttpServer::registered_routes() const { return impl_->registered; }

}  // namespace soundlens::http
