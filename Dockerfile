# The overnight-llm worker image (docker-compose.yml): Node for the worker, Go to validate what
# the model writes, git for the output folder's history (in node:22-bookworm already; Node 22 is
# the LTS line the unit layer also runs on in CI: scripts/test-node.sh), and iproute2: ip(8)
# brings up the loopback inside the namespaces generated code runs in (activities/go/containment.ts;
# unshare, mount and prlimit come with Debian's util-linux).
FROM golang:1.26-bookworm AS go
FROM node:22-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends iproute2 && rm -rf /var/lib/apt/lists/*
COPY --from=go /usr/local/go /usr/local/go
ENV PATH=/usr/local/go/bin:$PATH GOTOOLCHAIN=local
WORKDIR /app
COPY . .
# npm ci, the dist/ build, goimports, then the dev packages pruned: scripts/image-install.sh.
RUN bash scripts/image-install.sh
CMD ["node", "bin/overnight-llm.js", "worker"]
