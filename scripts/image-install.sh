#!/usr/bin/env bash
# The worker image's install step (Dockerfile), a plain script so it runs and is checked without
# Docker: the npm packages from the lock file, the CLI compiled into dist/, goimports for the
# guided strategy's fixers, the SQLite driver of generated projects, then the build-only packages removed.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
npm run --silent build
GOBIN="$PWD/.tools/bin" GOFLAGS=-mod=mod go install golang.org/x/tools/cmd/goimports@v0.52.0
# The SQLite driver generated projects build from offline, into .tools/go-mod (see scripts/setup.sh).
go_scratch=$(mktemp -d)
node --import tsx --input-type=module -e "
const fs = await import('node:fs');
for (const f of (await import('./core/go/index.ts')).cacheWarmingModule()) fs.writeFileSync(process.argv[1] + '/' + f.path, f.content);" "$go_scratch"
(cd "$go_scratch" && GOMODCACHE="$OLDPWD/.tools/go-mod" GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download)
rm -rf "$go_scratch"
npm prune --omit=dev --no-audit --no-fund
node bin/overnight-llm.js -version
