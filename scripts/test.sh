#!/usr/bin/env bash
# The test suite, layer by layer (DESIGN.md "Tests, in layers"). Arguments pick layers:
# unit activities workflow replay e2e hostile durability webui real (default: all of them).
set -euo pipefail
cd "$(dirname "$0")/.."
export OVERNIGHT_STATE_DIR="${OVERNIGHT_STATE_DIR:-$PWD/.state/test}"
export PATH="$PWD/.tools/bin:$PATH"
mkdir -p "$OVERNIGHT_STATE_DIR" test-artifacts
layers=("$@")
[[ ${#layers[@]} -gt 0 ]] || layers=(unit activities workflow replay e2e hostile durability webui real)
files=()
for layer in "${layers[@]}"; do
  for f in test/"$layer"/*.test.ts; do [[ -e $f ]] && files+=("$f"); done
done
[[ ${#files[@]} -gt 0 ]] || { echo "no test files for: ${layers[*]}" >&2; exit 1; }
exec node --import tsx --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
