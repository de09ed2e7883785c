#include "http/security_headers.h"

namespace soundlens::http {

const char* const web_content_security_policy =
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' blob: data:; font-src 'self' data:; connect-src 'self'; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

const char* const api_content_security_policy = "default-src 'none'; frame-ancestors 'none'; sandbox";

std::vector<std::pair<std::string, std::string>> security_headers(const std::string& content_type) {
  const bool page = content_type.rfind("text/html", 0) == 0;
  return {{"X-Content-Type-Options", "nosniff"},
          {"X-Frame-Options", "DENY"},
          {"Referrer-Policy", "no-referrer"},
          {"Content-Security-Policy", page ? web_content_security_policy : api_content_security_policy}};
}

}  // namespace soundlens::http
