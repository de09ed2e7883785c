#include "http/api/form_fields.h"

#include <algorithm>

#include "core/error.h"
#include "http/api/route_table.h"

namespace soundlens::http {
namespace {

std::string form_field_names(const RouteSpec& route) {
  std::string names;
  for (const auto& p : route.parameters)
    if (p.in == "form") names += (names.empty() ? "" : ", ") + p.name;
  return names;
}

}  // namespace

std::vector<const UploadedPart*> declared_form_files(const Request& request, const RouteSpec& route) {
  std::vector<const UploadedPart*> files;
  for (const auto& [name, part] : request.parts) {
    if (name == "file") {
      if (part.filename.empty())
        throw Error(ErrorCode::bad_request, "the field 'file' must be a file (a part with a filename)");
      files.push_back(&part);
    } else if (!part.filename.empty()) {
      throw Error(ErrorCode::bad_request, "files go in the field 'file' (got a file in " + quoted_value(name) + ")");
    } else if (const auto* declared = declared_parameter(route, name); !declared || declared->in != "form") {
      throw Error(ErrorCode::bad_request, "unknown field " + quoted_value(name) + " (" + route.method + " " +
                                              route.path + " takes " + form_field_names(route) + ")");
    }
  }
  return files;
}

}  // namespace soundlens::http
