# overnight-llm — the seed's targets, for the TypeScript port.
# `make run` and `make test` each set everything up first on a fresh machine.
SHELL := /bin/bash
OLLAMA_HOST ?= http://localhost:11434
LOCAL_MODEL ?= qwen2.5-coder-0.5b
OLLAMA_MODELS_WANTED ?= smollm2-135m qwen2.5-coder-0.5b
ARGS ?=
CLI := node bin/overnight-llm.js

.PHONY: help setup deps build build-all dev run run-local worker test test-node test-durability test-real ollama test-unit test-coverage install check-ollama setup-models fmt lint vet clean bench bench-models bench-plans bench-plan-runs bench-models-report

help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | column -t -s $$'\t'

setup: ## install node modules and the Temporal CLI (into .tools/bin)
	bash scripts/setup.sh

deps: ## install node modules only, exactly as the lock lists them
	npm ci --no-fund --no-audit --loglevel=error

build: setup ## compile the CLI into dist/ (set-up does it too) and bundle the workflow code ahead of the first run
	npm run --silent build
	npx tsx scripts/bundle-workflows.ts

build-all: build ## what a user installs: an npm tarball in dist/ (npm i -g dist/overnight-llm-*.tgz)
	npm pack --pack-destination dist --silent
	@echo "install it with: npm i -g dist/overnight-llm-$$(node -p 'require(\"./package.json\").version').tgz"

dev: setup ## a worker that restarts when a source file changes (runs with -detach, or a second terminal's CLI, use it)
	node --watch-path=core --watch-path=lib --watch-path=client --watch-path=activities --watch-path=worker --watch-path=workflows --watch-path=prompts --import tsx client/cli.ts worker $(ARGS)

run: setup ## generate: make run ARGS='-prompt "REST API for notes" -output ./notes-api'
	$(CLI) $(ARGS)

worker: setup ## a standalone worker for runs started with -detach
	$(CLI) worker $(ARGS)

test-node: ## the test layers on another Node LTS line, its binary from the npm registry: make test-node NODE=22 LAYERS='unit activities'
	bash scripts/test-node.sh $(or $(NODE),22) $(LAYERS)

test: ## set up (with the project Ollama, SmolLM2 and Qwen2.5-Coder-0.5B), lint, then run every test layer (unit activities workflow replay e2e hostile durability webui real)
	bash scripts/setup.sh --for-tests
	$(MAKE) lint
	bash scripts/setup-ollama.sh smollm2-135m qwen2.5-coder-0.5b
	bash scripts/test.sh

test-real: ## the real-Ollama layer only: wire format against the scripted Ollama (SmolLM2-135M), whole guided and -strategy plan runs with Qwen2.5-Coder-0.5B that must be valid (the plan run checked over HTTP and by Schemathesis)
	bash scripts/setup.sh --for-tests
	bash scripts/setup-ollama.sh smollm2-135m qwen2.5-coder-0.5b
	bash scripts/test.sh real

ollama: ## build Ollama into .tools/bin and import small real models (OLLAMA_MODELS_WANTED="smollm2-135m qwen2.5-coder-0.5b")
	bash scripts/setup-ollama.sh $(OLLAMA_MODELS_WANTED)

run-local: setup ## generate with the project's own Ollama and Qwen2.5-Coder-0.5B (no Ollama needed): make run-local ARGS='-prompt "REST API for notes" -output ./notes-api'
	bash scripts/setup-ollama.sh $(LOCAL_MODEL)
	node --import tsx scripts/project-ollama.ts -- $(CLI) -model $(LOCAL_MODEL) -strategy plan $(ARGS)

test-durability: ## kill, sleep (SIGSTOP), server-restart, cancel and Ctrl-C tests only (part of make test)
	bash scripts/setup.sh --for-tests
	bash scripts/test.sh durability

test-unit: ## unit tests only (no servers)
	bash scripts/test.sh unit

test-coverage: ## the test suite with node's coverage report (coverage.txt)
	bash scripts/setup.sh --for-tests
	NODE_V8_COVERAGE=.cache/v8-coverage bash scripts/test.sh 2>&1 | tee coverage.txt

bench: ## benchmarks 1-4 into BENCHMARKS.md (~11 min; BENCH_REPS=1 for a quick look)
	bash scripts/setup.sh --for-tests
	node --import tsx bench/run.ts

bench-models: ## 5 and 8. real models, Qwen2.5-Coder 0.5B and 1.5B: five plain prompts, then the fidelity prompt set with its acceptance scripts (≈ 2 h; rows resume; BENCH_MODELS=, BENCH_PROMPTS=, BENCH_STRATEGY= narrow it)
	bash scripts/setup.sh --for-tests
	bash scripts/setup-ollama.sh qwen2.5-coder-0.5b qwen2.5-coder-1.5b
	node --import tsx bench/run.ts models plan-runs

bench-plans: ## 7. the plan phase alone on the fidelity prompt set, Qwen2.5-Coder 0.5B and 1.5B (rows resume; BENCH_MODELS=, BENCH_PROMPTS= narrow it)
	bash scripts/setup.sh --for-tests
	bash scripts/setup-ollama.sh qwen2.5-coder-0.5b qwen2.5-coder-1.5b
	node --import tsx bench/run.ts plans

bench-plan-runs: ## 8. make run-local's path (-strategy plan) on the fidelity prompt set with Qwen2.5-Coder 0.5B and 1.5B, each output re-checked by go vet, go test, Schemathesis and the prompt's acceptance script over HTTP (≈ 40 min; rows resume; BENCH_MODELS=, BENCH_PROMPTS= narrow it)
	bash scripts/setup.sh --for-tests
	bash scripts/setup-ollama.sh qwen2.5-coder-0.5b qwen2.5-coder-1.5b
	node --import tsx bench/run.ts plan-runs

bench-models-report: ## rewrite section 5 of BENCHMARKS.md from bench/results/models.jsonl, without running a model
	BENCH_REPORT_ONLY=1 node --import tsx bench/run.ts models

install: setup ## put overnight-llm on PATH (npm link)
	npm link

check-ollama: ## is Ollama answering at OLLAMA_HOST?
	@curl -fsS "$(OLLAMA_HOST)/api/tags" >/dev/null && echo "Ollama is running at $(OLLAMA_HOST)" \
	  || { echo "Ollama is not reachable at $(OLLAMA_HOST): start it with 'ollama serve'"; exit 1; }

setup-models: ## pull the CLI's default model (client/flags.ts) into a running Ollama, or MODEL=name
	ollama pull "$${MODEL:-$$(node --import tsx -e "import('./client/flags.ts').then((m) => console.log(m.FLAGS.model.default))")}"

fmt: ## format the TypeScript sources
	npx prettier --write "**/*.ts"

lint: vet ## type-check and check formatting
	npx prettier --check "**/*.ts"

vet: ## type-check
	npx tsc -p tsconfig.json --noEmit

clean: ## remove build outputs and test state (keeps .tools and node_modules)
	rm -rf dist .state test-artifacts coverage.txt .cache
