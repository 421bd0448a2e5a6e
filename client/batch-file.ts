// A batch file: one prompt a line (blank lines and # comments skipped), or a YAML/JSON list
// whose items are prompts or { prompt, output, model }. Every problem is a usage error that
// names the file and the item.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { MAX_BATCH_ITEMS, MODEL_PATTERN, promptTooLong } from './flag-values.js';
import { UsageError } from './usage-error.js';

export interface BatchLine {
  prompt: string;
  /** Its folder, relative to the batch's -output folder (default: named after the prompt). */
  output?: string;
  model?: string;
}

const KEYS = new Set(['prompt', 'output', 'model']);

export function readBatchFile(file: string): BatchLine[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`batch file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const structured = /\.(ya?ml|json)$/i.test(file);
  let items: unknown[];
  if (structured) {
    let parsed: unknown;
    try {
      parsed = parseYaml(text); // JSON is YAML too
    } catch (err) {
      throw new UsageError(`batch file ${file} is not valid YAML/JSON: ${(err as Error).message.split('\n')[0]}`);
    }
    if (!Array.isArray(parsed)) throw new UsageError(`batch file ${file} must hold a list of prompts (or of { prompt, output, model })`);
    items = parsed;
  } else {
    items = text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
  }
  if (items.length === 0) throw new UsageError(`batch file ${file} has no prompts: write one a line`);
  if (items.length > MAX_BATCH_ITEMS)
    throw new UsageError(`batch file ${file} has ${items.length} prompts, over the limit of ${MAX_BATCH_ITEMS} a batch: split it into two files`);
  return items.map((item, i) => batchLine(item, `batch file ${file}, item ${i + 1}`));
}

function batchLine(item: unknown, where: string): BatchLine {
  const line = typeof item === 'string' ? { prompt: item } : item;
  if (typeof line !== 'object' || line === null || Array.isArray(line)) throw new UsageError(`${where}: write a prompt, or { prompt, output, model }`);
  const unknown = Object.keys(line).filter((k) => !KEYS.has(k));
  if (unknown.length) throw new UsageError(`${where}: unknown key ${JSON.stringify(unknown[0])} (keys: prompt, output, model)`);
  const { prompt, output, model } = line as Record<string, unknown>;
  if (typeof prompt !== 'string' || prompt.trim() === '') throw new UsageError(`${where}: "prompt" must be a sentence`);
  const tooLong = promptTooLong(prompt);
  if (tooLong) throw new UsageError(`${where}: the prompt ${tooLong}`);
  if (output !== undefined && (typeof output !== 'string' || output.trim() === '')) throw new UsageError(`${where}: "output" must be a folder name`);
  if (model !== undefined && (typeof model !== 'string' || !MODEL_PATTERN.test(model)))
    throw new UsageError(`${where}: "model" must be an Ollama model name like qwen2.5-coder:1.5b`);
  return { prompt: prompt.trim(), ...(output ? { output: (output as string).trim() } : {}), ...(model ? { model: model as string } : {}) };
}

/** Each item's folder: its `output` under the batch folder, else one named after its prompt; no two alike. */
export function itemFolders(lines: BatchLine[], batchDir: string): string[] {
  const seen = new Set<string>();
  return lines.map((line, i) => {
    const base = line.output ?? (slug(line.prompt) || `item-${i + 1}`);
    let folder = path.resolve(batchDir, base);
    if (line.output && seen.has(folder)) throw new UsageError(`batch: two items write to ${folder}: give each its own "output"`);
    for (let n = 2; seen.has(folder); n++) folder = path.resolve(batchDir, `${base}-${n}`);
    seen.add(folder);
    return folder;
  });
}

/** "REST API for a todo list" → rest-api-for-a-todo-list (at most 40 characters, whole words; "prêt" → pret). */
function slug(prompt: string): string {
  // Accents are split off and dropped, so a word in French or German stays one word.
  const words =
    prompt
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .match(/[a-z0-9]+/g) ?? [];
  let name = '';
  for (const word of words) {
    if ((name ? name.length + 1 : 0) + word.length > 40) break;
    name = name ? `${name}-${word}` : word;
  }
  return name;
}
