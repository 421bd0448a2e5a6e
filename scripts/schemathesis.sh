#!/usr/bin/env bash
# Runs Schemathesis (installed by scripts/setup.sh) against a generated API: builds DIR's server,
# starts it on a free loopback port with a temporary DB_PATH, runs test/support/schemathesis.ts on
# DIR/openapi.yaml, and stops the server. Exit 0: no failure; 1: failures (listed); 2: could not run.
#   bash scripts/schemathesis.sh DIR [MAX_EXAMPLES [SEED]]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-}"
if [[ -z "$dir" || ! -f "$dir/openapi.yaml" || ! -d "$dir/cmd/server" ]]; then
  echo "usage: bash scripts/schemathesis.sh DIR [MAX_EXAMPLES [SEED]]  (DIR: an output folder with openapi.yaml and cmd/server)" >&2
  exit 2
fi
dir="$(cd "$dir" && pwd)"
if [[ ! -x "$root/.tools/schemathesis/bin/st" ]]; then
  echo "Schemathesis is not installed: run bash scripts/setup.sh" >&2
  exit 2
fi

tmp="$(mktemp -d)"
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "==> building $dir/cmd/server" >&2
# As the pipeline builds it (activities/go/run-tool.ts): offline, from the module cache and the
# build cache that scripts/setup.sh fills and warms.
(cd "$dir" && env GOMODCACHE="$root/.tools/go-mod" GOPROXY=off GOSUMDB=off GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0 GOTELEMETRY=off \
  GOCACHE="${OVERNIGHT_STATE_DIR:-$HOME/.local/state/overnight-llm}/go-build" go build -o "$tmp/server" ./cmd/server) || exit 2

port="$(cd "$root" && node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
echo "==> starting it on 127.0.0.1:$port (DB_PATH in $tmp)" >&2
(cd "$tmp" && exec env PORT="$port" DB_PATH="$tmp/data.db" "$tmp/server" >"$tmp/server.log" 2>&1) &
pid=$!
for _ in $(seq 150); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "the server exited before it listened:" >&2
    cat "$tmp/server.log" >&2
    exit 2
  fi
  sleep 0.1
done
if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "the server does not listen on $port after 15 s" >&2
  exit 2
fi

echo "==> Schemathesis on $dir/openapi.yaml" >&2
status=0
(cd "$root" && node --import tsx test/support/schemathesis.ts "$dir/openapi.yaml" "http://127.0.0.1:$port" "${@:2}") || status=$?
if ! kill -0 "$pid" 2>/dev/null; then
  echo "the server died during the run; its log:" >&2
  tail -50 "$tmp/server.log" >&2
  [[ $status == 0 ]] && status=1
fi
exit "$status"
