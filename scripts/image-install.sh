#!/usr/bin/env bash
# The worker image's install step (Dockerfile), a plain script so it runs and is checked without
# Docker: the npm packages from the lock file, the CLI compiled into dist/, goimports for the
# guided strategy's fixers, then the build-only packages removed.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
npm run --silent build
GOBIN="$PWD/.tools/bin" GOFLAGS=-mod=mod go install golang.org/x/tools/cmd/goimports@v0.52.0
npm prune --omit=dev --no-audit --no-fund
node bin/overnight-llm.js -version
