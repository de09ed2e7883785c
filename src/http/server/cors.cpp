#include "http/server/cors.h"

#include <algorithm>
#include <sstream>

namespace soundlens::http {
namespace {

std::string trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

}  // namespace

CorsPolicy::CorsPolicy(const std::string& origins, const std::string& host, int port) {
  std::istringstream list(origins);
  for (std::string item; std::getline(list, item, ',');) {
    item = trim(item);
    while (item.ends_with("/")) item.pop_back();
    if (item == "*") any_ = true;
    else if (!item.empty()) origins_.push_back(item);
  }
  if (origins_.empty() && !any_) {
    const std::string p = std::to_string(port);
    origins_.push_back("http://" + host + ":" + p);
    if (host == "127.0.0.1" || host == "localhost" || host == "0.0.0.0") {
      origins_.push_back("http://localhost:" + p);
      origins_.push_back("http://127.0.0.1:" + p);
    }
    origins_.push_back("http://localhost:3000");
  }
}

bool CorsPolicy::allows(const std::string& origin) const {
  if (origin.empty()) return false;
  return any_ || std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

}  // namespace soundlens::http
