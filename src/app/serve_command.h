#pragma once
// `soundlens serve`: the HTTP service and web app.
#include <string>
#include <vector>

namespace soundlens {

int run_serve(const std::vector<std::string>& args);

}  // namespace soundlens
