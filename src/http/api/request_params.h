#pragma once
// Reading and validating request parameters; bad values are Error(bad_request)
// naming the parameter. Ranges, defaults and choices come from the route's
// declaration in route_table() (the request's operation_id), never from the
// handler: the handler names the parameter, the table says what it may be.
#include <optional>
#include <string>

#include "analysis/analysis.h"
#include "analysis_events/event_options.h"
#include "http/server/http_types.h"

namespace soundlens::http {

// A declared integer or number parameter: nullopt when absent or empty, else
// its value checked against the declared range.
std::optional<long> given_integer(const Request& request, const std::string& name);
std::optional<double> given_number(const Request& request, const std::string& name);
// The same, or the declared default when absent (Error(internal) if the
// declaration has none: then the handler must say what absence means).
long integer_param(const Request& request, const std::string& name);
double number_param(const Request& request, const std::string& name);
// A declared text parameter: one of its declared choices (if it has any), or
// its declared default when absent.
std::string text_param(const Request& request, const std::string& name);
// An index as written in a path or a list ("47"): up to max_digits digits, no sign, no leading zero
// ("047" is not 47, so that one index has one spelling); nullopt for anything else.
std::optional<int> plain_index(const std::string& text, std::size_t max_digits = 6);
// An event's place in an analysis' `events` (the path's event_index, the explanation's ?event=), from 0,
// written plainly: Error(bad_request) naming `name` for anything else, Error(not_found) past the last.
int event_index(const std::string& name, const std::string& text, std::size_t events);
// The analysis_parameters() of an upload (top_k, classes, window_s, hop_s), with the operator's limits.
AnalysisOptions analysis_options(const Request& request, const AnalysisLimits& limits);
// The event_parameters() of an upload (event_window_s, event_threshold, ...).
AnalysisEventOptions event_options(const Request& request);
// The uploaded recording: the one multipart field `file`. Every other part
// must be a form field the route declares (http/form_fields.h): a misspelt
// option is a 400 naming it, on every upload route alike.
const UploadedPart& uploaded_file(const Request& request);

}  // namespace soundlens::http
