# shellcheck shell=bash
# Shared by scripts/run, scripts/test and bench/run: install what is missing,
# build, and manage a private PostgreSQL cluster that lives under the checkout.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

RUNTIME_PACKAGES="libmicrohttpd12 libjansson4 libpq5 libcmark0.30.2 libssl3 libcurl4 postgresql-15"
BUILD_PACKAGES="cmake gcc pkg-config libmicrohttpd-dev libjansson-dev libpq-dev libcmark-dev libssl-dev libcurl4-openssl-dev"
TEST_PACKAGES="libcmocka-dev curl jq clang clang-format wrk openssl pgbouncer"
# tests/failover/run and tests/haproxy/run (which runs HAProxy in a container).
HA_TEST_PACKAGES="python3 jq"
# tests/browser/run (Node.js and npm too, when the machine has no `node`).
BROWSER_TEST_PACKAGES="chromium fonts-liberation poppler-utils"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# ensure_packages PKG...: apt-get install whatever is not installed yet.
ensure_packages() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed"
}

# build DIR [cmake args...]
build() {
    local dir=$1; shift
    say "building in ${dir#"$ROOT"/}"
    cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null || die "cmake configure failed"
    cmake --build "$dir" -j "$(nproc)" >/dev/null 2>"$dir.build.log" || { cat "$dir.build.log" >&2; die "build failed"; }
}

# free_port: a port on 127.0.0.1 that nobody listens on, drawn below the
# kernel's ephemeral range, so that no client socket (wrk's, curl's, one in
# TIME_WAIT) can be holding it when a server binds it.
free_port() {
    local low p
    low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    [ "$low" -gt 12000 ] 2>/dev/null || low=32768
    while :; do
        p=$((10000 + RANDOM % (low - 10000)))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return
        fi
    done
}

# as_pg CMD...: run a PostgreSQL command as the cluster's owner.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_dir: where the private cluster lives: .pgdata under the checkout, unless
# the postgres user cannot reach it (a checkout under /root, say).
pg_dir() {
    local dir=${PRFAQ_PGDIR:-$ROOT/.pgdata}
    if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$ROOT"; then
        dir=/var/lib/prfaqd/$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)
    fi
    printf '%s' "$dir"
}

# pg_start: initialise (once) and start the private cluster; sets PG_SOCKET
# and PG_STARTED_BY_US.  Data persists across runs.  PRFAQ_PG_OPTIONS adds
# server options ("-c name=value ...") when it starts the cluster.
pg_start() {
    local dir; dir=$(pg_dir)
    PG_DIR=$dir
    PG_SOCKET=$dir/run
    mkdir -p "$dir/run"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir" "$dir/run"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        say "initialising a private PostgreSQL in $dir"
        as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
            || die "initdb failed"
    fi
    PG_STARTED_BY_US=0
    if ! as_pg "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
            -o "-c listen_addresses='' -c unix_socket_directories='$dir/run' -c max_connections=300 -c fsync=${PRFAQ_PG_FSYNC:-on} ${PRFAQ_PG_OPTIONS:-}" \
            start >/dev/null || { tail -20 "$dir/postgres.log" >&2; die "PostgreSQL did not start"; }
        PG_STARTED_BY_US=1
    fi
}

pg_stop() {
    if [ "${PG_STARTED_BY_US:-0}" = 1 ]; then
        as_pg "$PGBIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
        PG_STARTED_BY_US=0
    fi
}

# pg_ensure_db NAME: create the database if it does not exist.
pg_ensure_db() {
    if ! psql -h "$PG_SOCKET" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1; then
        createdb -h "$PG_SOCKET" -U postgres "$1"
    fi
}
