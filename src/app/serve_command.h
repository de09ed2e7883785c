#pragma once
// `soundlens serve`: the HTTP service and web app.
#include <string>
#include <vector>

#include "core/parameters.h"

namespace soundlens {

// --data-dir, declared once for serve and the account commands.
Parameter data_dir_parameter();

int run_serve(const std::vector<std::string>& args);

}  // namespace soundlens
