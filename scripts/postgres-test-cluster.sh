#!/usr/bin/env bash
# Starts a private PostgreSQL cluster on a free loopback port for the test suite and
# prints its maintenance-database URL. Usage:
#   url=$(scripts/postgres-test-cluster.sh start DIR)
#   scripts/postgres-test-cluster.sh stop DIR
# Installs Debian's postgresql package when no server binaries are found.
set -euo pipefail

command=${1:?usage: postgres-test-cluster.sh start|stop DIR}
dir=${2:?usage: postgres-test-cluster.sh start|stop DIR}

find_bindir() {
    local candidate
    for candidate in /usr/lib/postgresql/*/bin; do
        if [[ -x $candidate/initdb && -x $candidate/pg_ctl ]]; then
            echo "$candidate"
        fi
    done | sort -V | tail -n 1
}

as_owner() {
    # PostgreSQL refuses to run as root, so root runs it as the postgres system user.
    if [[ $(id -u) -eq 0 ]]; then
        # Start from / because the postgres user may not be allowed into the caller's folder.
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

bindir=$(find_bindir)
if [[ -z $bindir ]]; then
    echo "PostgreSQL not found: installing Debian's postgresql package" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    bindir=$(find_bindir)
fi

case $command in
start)
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then
        # The postgres user must be able to reach DIR, and mktemp makes folders
        # that only root can enter.
        chmod a+x "$(dirname "$dir")"
        chown postgres "$dir"
    fi
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir' -c fsync=off -c max_connections=200" \
        >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
stop)
    if [[ -d $dir/data ]]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "unknown command $command: expected start or stop" >&2
    exit 2
    ;;
esac
