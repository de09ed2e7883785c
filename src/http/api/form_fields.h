#pragma once
// The parts of a multipart upload, checked against what the route table
// declares for the route: files only in the field `file`, other fields only
// those the route takes. Anything else is 400 naming the field, before any
// work: a misspelt option is not silently ignored. Internal to http.
#include <string_view>
#include <vector>

#include "http/server/http_types.h"
#include "http/server/route_spec.h"

namespace soundlens::http {

// The files of `request`, in order, for its route (e.g. route_spec("createAnalysis"));
// throws Error(bad_request) for a file in another field,
// a plain field named `file` or a field the route does not declare.
std::vector<const UploadedPart*> declared_form_files(const Request& request, const RouteSpec& route);

}  // namespace soundlens::http
