#pragma once
// Two models on one recording: POST /api/v1/analyses with models=A,B (each
// model's analysis stored, the comparison answered), and GET /api/v1/compare?a=&b=
// (the comparison of two stored analyses again). Internal to http.
#include <string>
#include <vector>

#include "http/server/http_types.h"
#include "http/api/service_state.h"
#include "service/model_set.h"

namespace soundlens::http {

constexpr int max_compared_models = 2;  // the comparison is of a pair

// The names in `models=` ("mn04_as,yamnet"): Error(bad_request) naming the
// value for a model `models` does not offer, fewer than two, a duplicate or more than the maximum.
std::vector<std::string> compared_models(const std::string& text, const service::ModelSet& models);

// POST /api/v1/analyses with models=: under the same admission gate and limits as one analysis,
// 201 with {models, results: {model: stored analysis with its id}, agreement, timings_ms}; with
// async=1, or a recording longer than --async-over-s when the server runs jobs, one job (202) that
// analyses with each model in turn (service/job_work.h), whose compared_ids name both once done.
Response create_comparison(ServiceState& state, const Request& request);

}  // namespace soundlens::http
