#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster: initdb (as the postgres
# user when run as root) into a fresh temp directory, listening only on a
# unix socket there, on a free private port; exports SOUNDLENS_TEST_POSTGRES
# (a superuser URI the tests create their own databases with) and
# SOUNDLENS_REQUIRE_POSTGRES=1 (so that PostgreSQL tests fail rather than skip);
# stops the cluster and deletes it on exit, also on failure or Ctrl-C.
#   scripts/with-test-postgres.sh ctest -R storage
set -euo pipefail

bindir=""
for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then bindir=$dir; break; fi
done
if [ -z "$bindir" ]; then
  echo "with-test-postgres: no PostgreSQL server found under /usr/lib/postgresql/*/bin (install Debian's postgresql)" >&2
  exit 1
fi

cluster=$(mktemp -d /tmp/soundlens-pg.XXXXXX)
as_owner=()
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$cluster"
  as_owner=(runuser -u postgres --)
fi
# A free port: ask the kernel for one, then let the cluster take it.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop_cluster() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

"${as_owner[@]}" "$bindir/initdb" -D "$cluster/data" -U postgres -A trust -E UTF8 --locale=C >"$cluster/initdb.log" 2>&1 ||
  { cat "$cluster/initdb.log" >&2; exit 1; }
"${as_owner[@]}" "$bindir/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w \
  -o "-p $port -k $cluster -c listen_addresses='' -c max_connections=300 -c fsync=off" start >/dev/null ||
  { cat "$cluster/server.log" >&2; exit 1; }

export SOUNDLENS_TEST_POSTGRES="postgresql://postgres@/postgres?host=$cluster&port=$port"
export SOUNDLENS_REQUIRE_POSTGRES=1
echo "with-test-postgres: cluster at $cluster, port $port (removed on exit)" >&2
"$@"
