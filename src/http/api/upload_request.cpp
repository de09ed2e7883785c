#include "http/api/upload_request.h"

namespace soundlens::http {

service::AnalysisRequest analysis_request(const Request& request) {
  return service::read_analysis_request([&](const std::string& name) { return request.param(name); });
}

}  // namespace soundlens::http
