// The scripted Ollama's HTTP and wire helpers (test/support/scripted-ollama.ts serves with them):
// Ollama's JSON and text answers, its model entries, Go's RFC 3339 time, streaming with
// back-pressure, and what a model says of a scripted answer (a prefill continued, `stop`).
import { createHash } from 'node:crypto';
import type http from 'node:http';
import type { Socket } from 'node:net';
import type { WireMessage } from './scripted-ollama-responders.js';

export interface ModelInfo {
  name: string;
  size?: number;
  digest?: string;
  family?: string;
  parameterSize?: string;
  quantizationLevel?: string;
}

export const MODIFIED_AT = '2025-01-15T10:20:30.123456789Z';
export const FILLER = 'package main\n\n// scripted filler: a fault without text streams this.\nfunc main() {}\n';
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const EPOCH_NS = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

/** Go's time.RFC3339Nano of now in UTC: nine fraction digits at most, trailing zeros trimmed. */
export function rfc3339Nano(): string {
  const ns = EPOCH_NS + process.hrtime.bigint();
  const iso = new Date(Number(ns / 1_000_000n)).toISOString();
  const frac = String(ns % 1_000_000_000n)
    .padStart(9, '0')
    .replace(/0+$/, '');
  return iso.slice(0, 19) + (frac ? `.${frac}` : '') + 'Z';
}

export function normalizeName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.slice(lower.lastIndexOf('/') + 1).includes(':') ? lower : `${lower}:latest`;
}

export function modelEntry(m: ModelInfo) {
  const details = {
    parent_model: '',
    format: 'gguf',
    family: m.family ?? 'llama',
    families: [m.family ?? 'llama'],
    parameter_size: m.parameterSize ?? '7B',
    quantization_level: m.quantizationLevel ?? 'Q4_0',
  };
  const digest = m.digest ?? createHash('sha256').update(m.name).digest('hex');
  return { name: m.name, model: m.name, modified_at: MODIFIED_AT, size: m.size ?? 3_825_819_519, digest, details };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  sendText(res, status, JSON.stringify(body), 'application/json; charset=utf-8');
}

export function sendText(res: http.ServerResponse, status: number, text: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown> | string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const raw = Buffer.concat(parts).toString('utf8');
  if (raw.trim() === '') return 'missing request body';
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : 'invalid request body';
  } catch (err) {
    // Ollama decodes with Go's encoding/json: a cut-off body is "unexpected EOF".
    const message = (err as Error).message;
    return /end of JSON input/.test(message) ? 'unexpected EOF' : message;
  }
}

/** Writes, waiting for drain; false once the client is gone. */
export async function write(res: http.ServerResponse, data: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (!res.write(data)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  }
  return !res.destroyed;
}

export const untilClosed = (res: http.ServerResponse) => new Promise<void>((resolve) => (res.destroyed ? resolve() : res.once('close', () => resolve())));

export function resetSocket(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

/** The answer cut into chunks of `size` characters (code points); oversized makes its own. */
export function* pieces(text: string, size: number): Generator<string> {
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i += size) yield chars.slice(i, i + size).join('');
}

export function* oversizedPieces(bytes: number): Generator<string> {
  const line = '// oversized output from the scripted ollama, line after line after line\n';
  for (let left = bytes; left > 0; left -= 4096) yield line.repeat(Math.ceil(4096 / line.length)).slice(0, Math.min(4096, left));
}

/**
 * What the model says of a responder's whole answer, as the project's Ollama does: a final
 * assistant message is continued (scripts/ollama/chatml.Modelfile), so an answer that repeats
 * it says only what follows; generation ends before the first `stop` sequence.
 */
export function spokenText(answer: string, messages: WireMessage[], stop: unknown, continues = true): string {
  const last = messages.at(-1);
  let text = answer;
  if (continues && last?.role === 'assistant' && typeof last.content === 'string' && last.content) {
    const at = text.indexOf(last.content);
    if (at >= 0) text = text.slice(at + last.content.length);
  }
  for (const s of Array.isArray(stop) ? stop : []) {
    const at = typeof s === 'string' && s ? text.indexOf(s) : -1;
    if (at >= 0) text = text.slice(0, at);
  }
  return text;
}
