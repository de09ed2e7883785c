#include "auth/roles.h"

#include "core/error.h"

namespace soundlens::auth {

std::string_view role_name(Role role) { return role == Role::admin ? "admin" : "member"; }
std::string_view scope_name(Scope scope) { return scope == Scope::write ? "write" : "read"; }

Role parse_role(std::string_view text) {
  if (text == "admin") return Role::admin;
  if (text == "member") return Role::member;
  throw Error(ErrorCode::bad_request, "unknown role '" + std::string(text) + "'; known roles: admin, member");
}

Scope parse_scope(std::string_view text) {
  if (text == "write") return Scope::write;
  if (text == "read") return Scope::read;
  throw Error(ErrorCode::bad_request, "unknown scope '" + std::string(text) + "'; known scopes: read, write");
}

bool may_see(const Caller& caller, const std::int64_t* owner) {
  return caller.role == Role::admin || (owner != nullptr && *owner == caller.user_id);
}

}  // namespace soundlens::auth
