# The overnight-llm worker image (docker-compose.yml): Node for the worker, Go to validate
# what the model writes.
FROM golang:1.26-bookworm AS go
FROM node:20-bookworm
COPY --from=go /usr/local/go /usr/local/go
ENV PATH=/usr/local/go/bin:$PATH
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
CMD ["node", "bin/overnight-llm.js", "worker"]
