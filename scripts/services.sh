# Sourced by scripts/test.sh and scripts/bench.sh: make sure PostgreSQL and Redis answer
# on localhost and export VAGEN_TEST_DATABASE_URL / VAGEN_TEST_REDIS_URL for the test
# settings. Order: what already runs on 127.0.0.1:5432/:6379 (this project's machines),
# else throwaway instances under var/services/ when the server binaries exist, else stop
# with a message that says what is missing.

_vagen_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

_vagen_find_pg_bin() {
  local candidate
  for candidate in /usr/lib/postgresql/*/bin; do
    if [ -x "$candidate/initdb" ]; then echo "$candidate"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

_vagen_start_postgres() {
  local pg_bin data port=55432 run_as=()
  pg_bin=$(_vagen_find_pg_bin) || {
    echo "Hittar ingen PostgreSQL på 127.0.0.1:5432 och inga serverprogram (initdb) att starta en egen." >&2
    echo "Installera PostgreSQL (t.ex. apt-get install postgresql) eller sätt VAGEN_TEST_DATABASE_URL." >&2
    return 1
  }
  data="$PWD/var/services/postgres"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "Användaren postgres saknas; PostgreSQL kan inte köras som root." >&2; return 1; }
    run_as=(runuser -u postgres --)
    mkdir -p "$data" && chown postgres "$data" "$PWD/var/services"
  else
    mkdir -p "$data"
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    "${run_as[@]}" "$pg_bin/initdb" -D "$data" -U postgres -A trust >/dev/null
  fi
  if ! _vagen_port_open "$port"; then
    "${run_as[@]}" "$pg_bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $data" start >/dev/null
  fi
  export VAGEN_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "Startade en egen PostgreSQL på port $port (data i var/services/postgres)."
}

_vagen_start_redis() {
  local port=56379
  command -v redis-server >/dev/null 2>&1 || {
    echo "Hittar ingen Redis på 127.0.0.1:6379 och inget redis-server att starta." >&2
    echo "Installera Redis (t.ex. apt-get install redis-server) eller sätt VAGEN_TEST_REDIS_URL." >&2
    return 1
  }
  if ! _vagen_port_open "$port"; then
    redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
      --dir "$PWD/var/services" --logfile "$PWD/var/services/redis.log" >/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do _vagen_port_open "$port" && break; sleep 0.2; done
  fi
  export VAGEN_TEST_REDIS_URL="redis://127.0.0.1:$port/15"
  echo "Startade en egen Redis på port $port."
}

vagen_services() {
  mkdir -p var/services
  if [ -z "${VAGEN_TEST_DATABASE_URL:-}" ]; then
    if _vagen_port_open 5432; then
      export VAGEN_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres"
    else
      _vagen_start_postgres || return 1
    fi
  fi
  if [ -z "${VAGEN_TEST_REDIS_URL:-}" ]; then
    if _vagen_port_open 6379; then
      export VAGEN_TEST_REDIS_URL="redis://127.0.0.1:6379/15"
    else
      _vagen_start_redis || return 1
    fi
  fi
}
