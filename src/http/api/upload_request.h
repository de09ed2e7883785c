#pragma once
// An upload's form fields read into the service's typed AnalysisRequest, by
// the declared option tables: what the handlers hand to the service (with the
// upload's bytes). Internal to http.
#include "http/server/http_types.h"
#include "service/analysis_request.h"
#include "service/pipeline.h"

namespace soundlens::http {

// model, the analysis parameters and the event parameters; Error(bad_request) naming a bad one.
service::AnalysisRequest analysis_request(const Request& request);

}  // namespace soundlens::http
