#pragma once
// Who a request is, once its key is checked, and what roles and scopes mean.
#include <cstdint>
#include <string>
#include <string_view>

namespace soundlens::auth {

enum class Role { admin, member };  // admins see every analysis and the audit log
enum class Scope { read, write };   // read keys may only GET

std::string_view role_name(Role role);
std::string_view scope_name(Scope scope);
// Throw Error(bad_request) naming the accepted values.
Role parse_role(std::string_view text);
Scope parse_scope(std::string_view text);

struct Caller {
  std::int64_t user_id = 0;
  std::string user_name;
  Role role = Role::member;
  Scope scope = Scope::read;
  std::string key_id;
};

// Owner of an analysis: nullopt when it was created with authentication off.
// Admins see all; members only their own.
bool may_see(const Caller& caller, const std::int64_t* owner);

}  // namespace soundlens::auth
