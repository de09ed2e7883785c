// Request parsing: the multipart and query parsing is cpp-httplib's (its
// compiled library, not instrumented here); what this target checks is our
// code that consumes it (request parameters, the uploaded part) and our own
// command-line / environment parameter parser.
//   first byte even: the rest is one raw HTTP request, fed to a real
//                    httplib::Server whose handlers call our parameter code;
//   first byte odd:  the rest is command-line arguments, one per line, for
//                    parse_parameters.
#include <httplib.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/parameters.h"
#include "http/server/http_types.h"
#include "http/api/report_classes.h"
#include "http/api/request_params.h"
#include "http/api/route_table.h"

namespace {

using namespace soundlens;

// The request bytes as the connection; replies are discarded.
class BufferStream : public httplib::Stream {
 public:
  BufferStream(const char* data, std::size_t size) : data_(data), size_(size) {}
  bool is_readable() const override { return true; }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, std::size_t size) override {
    const std::size_t n = std::min(size, size_ - position_);
    std::memcpy(ptr, data_ + position_, n);
    position_ += n;
    return ssize_t(n);
  }
  ssize_t write(const char*, std::size_t size) override { return ssize_t(size); }
  void get_remote_ip_and_port(std::string& ip, int& port) const override { ip = "127.0.0.1", port = 40000; }
  void get_local_ip_and_port(std::string& ip, int& port) const override { ip = "127.0.0.1", port = 8000; }
  socket_t socket() const override { return 0; }

 private:
  const char* data_;
  std::size_t size_;
  std::size_t position_ = 0;
};

// Mirrors to_request() in src/http/http_server.cpp (file-local there): the
// query and the multipart parts as our routes see them.
http::Request to_request(const httplib::Request& in) {
  http::Request out;
  out.method = in.method;
  out.path = in.path;
  for (const auto& [name, value] : in.params) out.query.emplace(name, value);
  for (const auto& [name, part] : in.files) out.parts.emplace(name, http::UploadedPart{part.filename, part.content});
  return out;
}

void use_parameters(const http::Request& request) {
  try {
    const AnalysisOptions o = http::analysis_options(request, AnalysisLimits{});
    // What the routes rely on once the parameters are accepted.
    if (o.top_k < 1 || o.top_k > 527) std::abort();
    if (!(o.window_s >= 1 && o.window_s <= 60)) std::abort();
    if (!(o.hop_s >= 0.1 && o.hop_s <= o.window_s && o.window_s / o.hop_s <= 20)) std::abort();
  } catch (const Error&) {
  }
  try {
    const AnalysisEventOptions e = http::event_options(request);
    // 0: the analysis' own pass (the hop is unused); otherwise a separate pass of windows of 1 s or more.
    if (!(e.hop_s > 0 && (e.window_s == 0 || (e.window_s >= 1 && e.hop_s <= e.window_s)))) std::abort();
    if (!(e.detect.window_low <= e.detect.window_high && e.detect.window_high <= 1)) std::abort();
    if (!(e.detect.min_duration_s >= 0 && e.detect.merge_gap_s >= 0)) std::abort();
  } catch (const Error&) {
  }
  try {
    const http::UploadedPart& file = http::uploaded_file(request);
    (void)file.filename.size();
    if (!file.content.empty()) (void)(file.content.front() + file.content.back());  // the view is readable
  } catch (const Error&) {
  }
  // Route parameters are read as their route declares them (http/api/route_table.cpp).
  try {
    http::Request listing = request;
    listing.route = &http::route_spec("listAnalyses");
    (void)http::integer_param(listing, "offset");
  } catch (const Error&) {
  }
  // The report's classes (report.pdf?classes=): what the report route relies on once they are accepted.
  try {
    if (const auto text = request.param("classes")) {
      const std::vector<int> classes = http::parse_report_classes(*text, 527);
      if (classes.empty() || classes.size() > http::kMaxReportClasses) std::abort();
      for (std::size_t i = 0; i < classes.size(); ++i) {
        if (classes[i] < 0 || classes[i] >= 527) std::abort();
        for (std::size_t j = 0; j < i; ++j)
          if (classes[j] == classes[i]) std::abort();
      }
      if (http::parse_report_classes(http::report_classes_text(classes), 527) != classes) std::abort();
    }
  } catch (const Error&) {
  }
  try {
    http::Request span = request;
    span.route = &http::route_spec("getAnalysisSpectrogram");
    (void)http::number_param(span, "start_s");
    (void)request.param("model");
  } catch (const Error&) {
  }
}

class FuzzServer : public httplib::Server {
 public:
  FuzzServer() {
    set_payload_max_length(1 << 20);
    auto handler = [](const httplib::Request& req, httplib::Response& res) {
      use_parameters(to_request(req));
      res.set_content("{}", "application/json");
    };
    Post("/api/v1/analyses", handler);
    Get("/api/v1/analyses", handler);
  }
  void serve(const char* data, std::size_t size) {
    BufferStream stream(data, size);
    bool closed = false;
    process_request(stream, /*close_connection=*/true, closed, [](httplib::Request&) {});
  }
};

const std::vector<Parameter>& declared() {
  using Kind = Parameter::Kind;
  static const std::vector<Parameter> parameters = {
      {"top-k", "classes to report", "5", Kind::integer, 1, 527, {}},
      {"window-s", "window length", "10", Kind::number, 1, 60, {}},
      {"seed", "any integer", "0", Kind::integer, 0, 0, {}},
      {"model", "model", "mn04_as", Kind::text, 0, 0, {"mn04_as", "cnn14", "yamnet"}},
      {"label", "free text, repeatable", "", Kind::text, 0, 0, {}, true},
      {"verbose", "more output", "", Kind::flag, 0, 0, {}},
  };
  return parameters;
}

void parse_arguments(const char* data, std::size_t size) {
  std::vector<std::string> args;
  std::string current;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == '\n') {
      args.push_back(current);
      current.clear();
    } else {
      current += data[i];
    }
  }
  args.push_back(current);
  try {
    const ParsedCommandLine parsed = parse_parameters(declared(), args);
    const ParameterValues& v = parsed.parameters;
    const double window = v.number("window-s");
    if (!(window >= 1 && window <= 60)) std::abort();
    (void)v.integer("top-k");
    (void)v.integer("seed");
    (void)v.flag("verbose");
    const std::string model = v.text("model");
    if (model != "mn04_as" && model != "cnn14" && model != "yamnet") std::abort();
    (void)parameters_help(declared());
  } catch (const Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const char* rest = reinterpret_cast<const char*>(data + 1);
  if (data[0] % 2 == 0) {
    static FuzzServer* server = new FuzzServer();  // one server, as in the program; never freed
    server->serve(rest, size - 1);
  } else {
    parse_arguments(rest, size - 1);
  }
  return 0;
}
