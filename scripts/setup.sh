#!/usr/bin/env bash
# Installs everything overnight-llm needs on a fresh machine, idempotently:
# node modules, and the Temporal CLI (dev server + Web UI) built from its Go module into
# .tools/bin when `temporal` is not on PATH. `--for-tests` adds what only the tests use.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tools="$root/.tools/bin"
mkdir -p "$tools"

step() { printf '==> %s\n' "$*" >&2; }

if [[ ! -d node_modules/@temporalio/worker || package-lock.json -nt node_modules/.package-lock.json ]]; then
  # `npm ci`: exactly the committed lock (every platform's @swc/core entry is in it), which it
  # never rewrites, so a fresh clone stays clean.
  step "npm ci (better-sqlite3 builds from source here: a few minutes the first time)"
  npm ci --no-fund --no-audit --loglevel=error
fi

if ! command -v temporal >/dev/null 2>&1 && [[ ! -x "$tools/temporal" ]]; then
  # v1.5.1 is the newest tag `go install` accepts (later ones carry a replace directive).
  for tag in v1.5.1 v1.4.1 v1.3.0; do
    step "building the Temporal CLI $tag from its Go module into .tools/bin (about 7 minutes on 2 cores)"
    if GOBIN="$tools" GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@$tag"; then break; fi
  done
  [[ -x "$tools/temporal" ]] || { echo "setup: could not build the Temporal CLI; install it and put it on PATH" >&2; exit 1; }
fi

if [[ ! -x "$tools/goimports" ]]; then
  # The guided strategy's import fixer: adds missing standard imports, drops unused ones.
  # v0.52.0 is the newest golang.org/x/tools that builds with Go 1.26.
  step "building goimports (golang.org/x/tools v0.52.0) into .tools/bin"
  GOBIN="$tools" GOFLAGS=-mod=mod go install golang.org/x/tools/cmd/goimports@v0.52.0
fi

# Schemathesis, the property-based API tester run against a generated API and its openapi.yaml
# (test/support/schemathesis.ts, scripts/schemathesis.sh), in a Python venv of its own, pinned.
schemathesis_version=4.32.5
venv="$root/.tools/schemathesis"
if [[ "$("$venv/bin/st" --version 2>/dev/null)" != *"version $schemathesis_version" ]]; then
  if ! command -v python3 >/dev/null 2>&1 || ! python3 -m venv --help >/dev/null 2>&1; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
      step "installing python3 and python3-venv (Debian) for Schemathesis"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >/dev/null
    fi
  fi
  if command -v python3 >/dev/null 2>&1; then
    step "installing Schemathesis $schemathesis_version into .tools/schemathesis (a Python venv)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version"
  else
    step "python3 not found: no Schemathesis, so its checks of generated APIs cannot run"
  fi
fi

# Generated projects build with GOPROXY=off (activities/go/run-tool.ts): the SQLite driver pinned
# in core/go/gomod.ts comes from the module cache .tools/go-mod, filled here (instant once there).
# The build caches are warmed with it and the standard packages the projects use: a first build
# of a SQLite project takes about 1.5 minutes on 2 cores, then 2 seconds.
go_scratch=$(mktemp -d)
node --import tsx --input-type=module -e "
const fs = await import('node:fs');
const { cacheWarmingModule } = await import('./core/go/index.ts');
for (const f of cacheWarmingModule()) fs.writeFileSync(process.argv[1] + '/' + f.path, f.content);" "$go_scratch"
go_env=(GOMODCACHE="$root/.tools/go-mod" GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0 GOTELEMETRY=off)
[[ -d "$root/.tools/go-mod/modernc.org" ]] || step "downloading the SQLite driver of generated projects into .tools/go-mod"
(cd "$go_scratch" && env "${go_env[@]}" go mod download)
go_caches=("${OVERNIGHT_STATE_DIR:-$HOME/.local/state/overnight-llm}/go-build")
[[ "${1:-}" == "--for-tests" ]] && go_caches+=("$root/.state/test/go-build")
for cache in "${go_caches[@]}"; do
  [[ -d "$cache" ]] || step "warming the Go build cache $cache (about 2 minutes the first time)"
  (cd "$go_scratch" && env "${go_env[@]}" GOPROXY=off GOCACHE="$cache" sh -c 'go build -o /dev/null . && go vet .')
done
rm -rf "$go_scratch"

# git writes the night's history into the output folder (activities/files/git-history.ts); a run
# without it simply has none.
if ! command -v git >/dev/null 2>&1; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    step "installing git (Debian) for the output folder's history"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq git >/dev/null
  else
    step "git not found: runs will have no git history in their output folder (install git to get one)"
  fi
fi

# The CLI runs compiled from dist/ (bin/overnight-llm.js falls back to the sources when they are newer).
if [[ ! -f dist/.built ]] || [[ -n $(find core lib client activities worker workflows -name '*.ts' -newer dist/.built -print -quit) ]]; then
  step "compiling the CLI into dist/"
  npm run --silent build
fi

if [[ "${1:-}" == "--for-tests" ]]; then
  # Debian packages the tests use: docker-compose checks docker-compose.yml; chromium opens the Web UI.
  missing=()
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  if ((${#missing[@]})); then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
      step "installing ${missing[*]} (Debian) for the tests"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      step "not root: install ${missing[*]} yourself, or their tests are skipped (failed where OVERNIGHT_EXPECT names them, as CI does)"
    fi
  fi
  # A non-root user the compose and containment tests run the image's workers as
  # (test/support/compose-services.ts); not needed when the tests themselves run as a non-root user.
  if [[ $(id -u) == 0 ]] && ! id overnight-test >/dev/null 2>&1; then
    step "adding the system user overnight-test (the tests run the compose workers as it)"
    useradd --system --user-group --no-create-home --shell /usr/sbin/nologin overnight-test
  fi
fi
step "setup done"
