// `soundlens users add|list` and `soundlens keys create|list|revoke`: the
// accounts in DATA_DIR/soundlens.db, or in PostgreSQL with --database. A new key is printed once, alone on the
// last line of the output; only its hash is stored.
#include <iostream>
#include <optional>

#include "app/commands.h"
#include "app/serve_command.h"
#include "app/stores.h"
#include "auth/install_secret.h"
#include "auth/password.h"
#include "auth/roles.h"
#include "core/error.h"
#include "core/parameters.h"
#include "auth/accounts.h"
#include "storage/auth_store.h"

namespace soundlens {
namespace {
using Kind = Parameter::Kind;

const std::vector<Parameter>& account_parameters() {
  static const std::vector<Parameter> declared{
      data_dir_parameter(),
      database_parameter(),
      Parameter{"role", "users add: admin (sees every analysis and the audit log) or member", "member", Kind::text, 0,
                0, {"admin", "member"}},
      Parameter{"password-stdin",
                "users add: read a password for web sign-in from standard input (one line; 10 to 1024 bytes)", "",
                Kind::flag, 0, 0, {}},
      Parameter{"user", "keys create: the user the key belongs to", "", Kind::text, 0, 0, {}},
      Parameter{"scope", "keys create: read (GET only) or write", "write", Kind::text, 0, 0, {"read", "write"}},
      Parameter{"expires-days", "keys create: days until the key expires; 0 = never", "0", Kind::integer, 0, 36500,
                {}},
      Parameter{"help", "show this help", "", Kind::flag, 0, 0, {}},
  };
  return declared;
}

const char* usage =
    "usage: soundlens users add NAME [--role admin|member] [--password-stdin] [--data-dir DIR | --database URI]\n"
    "       soundlens users passwd NAME [--data-dir DIR | --database URI]   (the new password: one line on standard input)\n"
    "       soundlens users list [--data-dir DIR | --database URI]\n"
    "       soundlens keys create --user NAME [--scope read|write] [--expires-days N] [--data-dir DIR | --database URI]\n"
    "       soundlens keys list [--data-dir DIR | --database URI]\n"
    "       soundlens keys revoke ID [--data-dir DIR | --database URI]\n\n";

void print_key(const auth::IssuedKey& key) {
  std::cout << "created key " << key.record.id << " for user " << key.record.user_name << " (scope "
            << key.record.scope << ", expires " << key.record.expires_at.value_or("never") << ")\n"
            << "it is shown only this once; only its hash is stored:\n"
            << key.text << std::endl;
}

std::optional<int> expiry(const ParameterValues& p) {
  const long days = p.integer("expires-days");
  return days > 0 ? std::optional<int>(int(days)) : std::nullopt;
}

// Positional arguments after the subcommand, checked for number.
std::vector<std::string> operands(const ParsedCommandLine& line, std::size_t count, const std::string& form) {
  if (line.positional.size() != count + 1) throw Error(ErrorCode::bad_request, "usage: soundlens " + form);
  return {line.positional.begin() + 1, line.positional.end()};
}

// One line from standard input (never from argv, where other users could see
// it in the process list); the line break is not part of the password.
std::string password_from_stdin() {
  std::string line;
  if (!std::getline(std::cin, line))
    throw Error(ErrorCode::bad_request, "expected the password as one line on standard input, got nothing");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  auth::check_password_rules(line);
  return line;
}

// The usage for --help (exit 0) or for a missing action (exit 2); nullopt otherwise.
std::optional<int> help_or_missing_action(const ParsedCommandLine& line) {
  const bool help = line.parameters.flag("help");
  if (!help && !line.positional.empty()) return std::nullopt;
  std::cout << usage << parameters_help(account_parameters());
  return help ? 0 : 2;
}

}  // namespace

int run_users(const std::vector<std::string>& args) {
  const ParsedCommandLine line = parse_parameters(account_parameters(), args);
  const ParameterValues& p = line.parameters;
  if (const auto exit_code = help_or_missing_action(line)) return *exit_code;
  const auto store = open_auth_store(p);
  const std::string& action = line.positional[0];
  if (action == "add") {
    const std::string name = operands(line, 1, "users add NAME [--role admin|member] [--password-stdin]")[0];
    // The password is read and checked before anything is stored.
    std::optional<std::string> password_hash;
    if (p.flag("password-stdin")) password_hash = auth::hash_password(password_from_stdin());
    const UserRecord user = store->add_user(name, std::string(auth::role_name(auth::parse_role(p.text("role")))));
    if (password_hash) store->set_password_hash(user.id, *password_hash);
    std::cout << "added user " << user.name << " (id " << user.id << ", role " << user.role
              << (password_hash ? ", may sign in on the web" : "") << ")\n";
    // A user without a key cannot do anything: the first (write) key comes with it.
    const std::string secret = install_secret(p);
    print_key(auth::issue_key(*store, secret, user.name, auth::Scope::write, expiry(p)));
    return 0;
  }
  if (action == "passwd") {
    const std::string name = operands(line, 1, "users passwd NAME")[0];
    const auto user = store->find_user(name);
    if (!user) throw Error(ErrorCode::not_found, "no user named '" + name + "'");
    store->set_password_hash(user->id, auth::hash_password(password_from_stdin()));
    // A new password signs the user out everywhere.
    const int ended = open_session_store(p)->delete_user_sessions(user->id);
    std::cout << "set the password of user " << name << "; " << ended << " web session(s) ended\n";
    return 0;
  }
  if (action == "list") {
    operands(line, 0, "users list");
    for (const auto& u : store->list_users())
      std::cout << u.id << "\t" << u.name << "\t" << u.role << "\t" << u.created_at << "\n";
    return 0;
  }
  throw Error(ErrorCode::bad_request, "unknown users command '" + action + "' (add, passwd, list)");
}

int run_keys(const std::vector<std::string>& args) {
  const ParsedCommandLine line = parse_parameters(account_parameters(), args);
  const ParameterValues& p = line.parameters;
  if (const auto exit_code = help_or_missing_action(line)) return *exit_code;
  const auto store = open_auth_store(p);
  const std::string& action = line.positional[0];
  if (action == "create") {
    operands(line, 0, "keys create --user NAME [--scope read|write] [--expires-days N]");
    if (p.text("user").empty()) throw Error(ErrorCode::bad_request, "keys create needs --user NAME");
    const std::string secret = install_secret(p);
    print_key(auth::issue_key(*store, secret, p.text("user"), auth::parse_scope(p.text("scope")), expiry(p)));
    return 0;
  }
  if (action == "list") {
    operands(line, 0, "keys list");
    for (const auto& k : store->list_keys()) {
      const std::string state = k.revoked_at ? "revoked " + *k.revoked_at : k.expired ? "expired" : "active";
      std::cout << k.id << "\t" << k.user_name << "\t" << k.scope << "\t" << k.created_at << "\texpires "
                << k.expires_at.value_or("never") << "\t" << state << "\n";
    }
    return 0;
  }
  if (action == "revoke") {
    const std::string id = operands(line, 1, "keys revoke ID")[0];
    if (!store->revoke_key(id)) throw Error(ErrorCode::not_found, "no active key with id '" + id + "'");
    std::cout << "revoked key " << id << "\n";
    return 0;
  }
  throw Error(ErrorCode::bad_request, "unknown keys command '" + action + "' (create, list, revoke)");
}

}  // namespace soundlens
