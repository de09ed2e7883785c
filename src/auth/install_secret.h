#pragma once
// The per-install secret that keys are hashed with: DATA_DIR/auth.secret,
// 32 random bytes as hex, created once with mode 0600. Kept out of the
// database so that a copy of the database alone cannot check a key.
#include <string>

namespace soundlens::auth {

// Reads it, or creates it when absent; throws Error(internal) naming the file if it cannot.
std::string load_or_create_install_secret(const std::string& data_dir);

}  // namespace soundlens::auth
