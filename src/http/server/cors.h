#pragma once
// Which browser origins may call the API.
#include <string>
#include <vector>

namespace soundlens::http {

class CorsPolicy {
 public:
  // origins: comma-separated list, "*" for any; empty = the service's own
  // origin (http://HOST:PORT, and localhost/127.0.0.1 aliases) plus
  // http://localhost:3000 for the web app's development server.
  CorsPolicy(const std::string& origins, const std::string& host, int port);
  bool allows(const std::string& origin) const;

 private:
  std::vector<std::string> origins_;
  bool any_ = false;
};

}  // namespace soundlens::http
