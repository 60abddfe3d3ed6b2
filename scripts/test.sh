#!/usr/bin/env bash
# Runs every check and test of Ronda: formatting, clippy, the Rust tests against SQLite
# and a private PostgreSQL cluster, the TypeScript type check, the Vitest unit tests and
# the browser tests in Chromium. As root on a fresh Debian machine it installs the
# missing Debian packages (postgresql, chromium, faketime) first. Each runner prints its own
# summary; the script exits non-zero when any step failed.
set -uo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
failed=()

step() {
    local name=$1
    shift
    echo
    echo "==> $name"
    if ! "$@"; then
        echo "==> FAILED: $name"
        failed+=("$name")
    fi
}

install_missing_packages() {
    local missing=()
    command -v chromium >/dev/null || missing+=(chromium)
    command -v faketime >/dev/null || missing+=(faketime)
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
    if [[ ${#missing[@]} -eq 0 ]]; then
        return 0
    fi
    if [[ $(id -u) -ne 0 ]]; then
        echo "missing Debian packages: ${missing[*]}; install them or run as root" >&2
        return 1
    fi
    echo "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${missing[@]}"
}

for tool in cargo node npm python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "$tool is required but not installed" >&2
        exit 1
    fi
done
install_missing_packages || exit 1

pg_dir=$(mktemp -d /tmp/ronda-pg.XXXXXX)
trap 'scripts/postgres-test-cluster.sh stop "$pg_dir/cluster"; rm -rf "$pg_dir"' EXIT
if ! RONDA_TEST_POSTGRES_URL=$(scripts/postgres-test-cluster.sh start "$pg_dir/cluster"); then
    echo "could not start PostgreSQL for the tests" >&2
    exit 1
fi
export RONDA_TEST_POSTGRES_URL
export RONDA_REQUIRE_POSTGRES=1
# A run starts from a clean target directory, so incremental caches only cost disk.
export CARGO_INCREMENTAL=0
echo "PostgreSQL for tests: $RONDA_TEST_POSTGRES_URL"

install_node_modules() {
    (cd "$root/web" && npm ci --no-audit --no-fund) && (cd "$root/e2e" && npm ci --no-audit --no-fund)
}

step "npm ci" install_node_modules
step "cargo fmt" cargo fmt --all -- --check
step "cargo clippy" cargo clippy --workspace --all-targets --locked -- -D warnings
step "tsc --noEmit" bash -c "cd web && npm run --silent typecheck"
step "cargo test" cargo test --workspace --locked
step "vitest" bash -c "cd web && npm test --silent"
step "cargo build" cargo build -p ronda --locked
step "browser tests" bash -c "cd e2e && RONDA_BIN='$root/target/debug/ronda' npm test --silent"

echo
echo "disk used by target/: $(du -sh "$root/target" 2>/dev/null | cut -f1)"
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "FAILED steps: ${failed[*]}"
    exit 1
fi
echo "All checks and tests passed."
