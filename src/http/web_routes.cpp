// The static export of the web app (web/out): files with their content types,
// and index.html for app routes that have no file of their own.
#include <filesystem>

#include "core/error.h"
#include "http/content_types.h"
#include "http/routes.h"

namespace soundlens::http {
namespace {
namespace fs = std::filesystem;

Response file_response(const fs::path& path) {
  Response response;
  response.content_type = file_content_type(path.string());
  response.file_path = path.string();
  // Next.js puts content hashes in _next/static names: those never change.
  const bool hashed = path.string().find("/_next/static/") != std::string::npos;
  response.headers.emplace_back("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  return response;
}

bool has_unsafe_segment(const std::string& relative) {
  for (std::size_t start = 0; start <= relative.size();) {
    const auto end = std::min(relative.find('/', start), relative.size());
    const std::string segment = relative.substr(start, end - start);
    if (segment == ".." || segment == "." || segment.find('\\') != std::string::npos ||
        segment.find('\0') != std::string::npos)
      return true;
    start = end + 1;
  }
  return false;
}

Response serve(const ServiceState& state, const std::string& relative) {
  const fs::path root = state.config.web_dir;
  if (relative.starts_with("api/"))
    throw Error(ErrorCode::not_found, "no API route GET /" + relative);
  if (!fs::is_regular_file(root / "index.html"))
    throw Error(ErrorCode::not_found, "the web app is not built: " + (root / "index.html").string() +
                                          " is missing (build web/ into web/out, or set --web-dir)");
  if (has_unsafe_segment(relative)) throw Error(ErrorCode::not_found, "no file /" + relative);
  for (const fs::path& candidate : {root / relative, root / (relative + ".html"), root / relative / "index.html"})
    if (!relative.empty() && fs::is_regular_file(candidate)) return file_response(candidate);
  // An app route (no extension) is rendered by the app itself; a missing asset is a 404.
  if (fs::path(relative).extension().empty()) return file_response(root / "index.html");
  throw Error(ErrorCode::not_found, "no file /" + relative);
}

}  // namespace

void add_web_routes(ServiceState& state, HandlerMap& handlers) {
  handlers["webApp"] = [&state](const Request&) { return serve(state, ""); };
  handlers["webAsset"] = [&state](const Request& r) { return serve(state, r.path_params.at("path")); };
}

}  // namespace soundlens::http
