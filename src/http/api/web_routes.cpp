// The static export of the web app (web/out): files with their content types,
// and index.html for app routes that have no file of their own.
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/error.h"
#include "http/server/content_types.h"
#include "http/api/routes.h"
#include "http/server/security_headers.h"
#include "http/server/web_path.h"

namespace soundlens::http {
namespace {
namespace fs = std::filesystem;

// A page goes from memory with a policy naming the hashes of its own inline
// scripts: read once, the policy and the body sent cannot disagree (a rebuilt
// web/out is picked up at the next request).
Response page_response(const fs::path& path, const std::string& content_type) {
  std::ifstream file(path, std::ios::binary);
  std::string html(std::istreambuf_iterator<char>(file), {});
  if (file.bad()) throw Error(ErrorCode::internal, "cannot read the page /" + path.filename().string());
  Response response = Response::bytes(content_type, std::move(html));
  response.headers.emplace_back("Content-Security-Policy",
                                page_content_security_policy(inline_script_hashes(response.body)));
  response.headers.emplace_back("Cache-Control", "no-cache");
  return response;
}

Response file_response(const fs::path& path) {
  Response response;
  response.content_type = file_content_type(path.string());
  if (response.content_type.rfind("text/html", 0) == 0) return page_response(path, response.content_type);
  response.file_path = path.string();
  // Next.js puts content hashes in _next/static names: those never change.
  const bool hashed = path.string().find("/_next/static/") != std::string::npos;
  response.headers.emplace_back("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  return response;
}

// "history", "analyses/0123abcd": segments of letters, digits, '-' and '_' only.
bool is_app_route(const std::string& relative) {
  bool segment_empty = true;
  for (char c : relative) {
    if (c == '/') {
      if (segment_empty) return false;
      segment_empty = true;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') {
      segment_empty = false;
    } else {
      return false;
    }
  }
  return !segment_empty;
}

Response serve(const ServiceState& state, const std::string& relative) {
  const fs::path root = state.config.web_dir;
  if (relative.starts_with("api/"))
    throw Error(ErrorCode::not_found, "no API route GET " + quoted_value("/" + relative));
  // No server path in the message: it would tell a caller where the program lives.
  const auto index = resolve_web_path(root, "/index.html");
  if (!index)
    throw Error(ErrorCode::not_found,
                "the web app is not built on this server (build web/ into web/out, or start it with --web-dir)");
  if (auto file = resolve_web_path(root, "/" + relative)) return file_response(*file);
  // An app route (plain names, no extension) is rendered by the app itself; a missing asset is a 404.
  if (is_app_route(relative)) return file_response(*index);
  throw Error(ErrorCode::not_found, "no file " + quoted_value("/" + relative));  // quoted: a NUL would cut the message
}

}  // namespace

void add_web_routes(ServiceState& state, HandlerMap& handlers) {
  handlers["webApp"] = [&state](const Request&) { return serve(state, ""); };
  handlers["webAsset"] = [&state](const Request& r) { return serve(state, r.path_params.at("path")); };
}

}  // namespace soundlens::http
