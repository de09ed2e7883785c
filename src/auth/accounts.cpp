#include "auth/accounts.h"

#include "auth/keys.h"
#include "core/error.h"

namespace soundlens::auth {

IssuedKey issue_key(AuthStore& store, const std::string& install_secret, const std::string& user_name,
                    auth::Scope scope, std::optional<int> expires_days) {
  const auto user = store.find_user(user_name);
  if (!user) throw Error(ErrorCode::bad_request, "no user named '" + user_name + "' (add one with `users add`)");
  const auth::NewKey key = auth::generate_key();
  KeyRecord record;
  record.id = key.parts.id;
  record.user_id = user->id;
  record.scope = std::string(auth::scope_name(scope));
  record.hash = auth::hash_secret(install_secret, key.parts.secret);
  return {store.add_key(record, expires_days), key.text};
}

}  // namespace soundlens::auth
