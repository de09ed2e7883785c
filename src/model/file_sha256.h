#pragma once
// The SHA-256 of a weights file, as lowercase hex (what `soundlens models` shows).
#include <string>

namespace soundlens {

std::string file_sha256(const std::string& path);  // Error(model_not_loaded) if unreadable

}  // namespace soundlens
