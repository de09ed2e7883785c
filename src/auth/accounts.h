#pragma once
// Issuing API keys: what the account commands and the tests share.
#include <optional>
#include <string>

#include "auth/roles.h"
#include "storage/auth_store.h"

namespace soundlens::auth {

struct IssuedKey {
  KeyRecord record;  // as stored: the hash, never the key
  std::string text;  // the key itself, to be shown once
};

// A new key for `user_name` (Error(bad_request) if there is no such user).
IssuedKey issue_key(AuthStore& store, const std::string& install_secret, const std::string& user_name,
                    auth::Scope scope, std::optional<int> expires_days);

}  // namespace soundlens::auth
