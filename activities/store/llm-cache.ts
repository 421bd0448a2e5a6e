// The LLM response cache: a retried activity finds the answer an earlier attempt paid for.
import { openMirror } from '../../lib/db.js';
import { isDiskFull } from '../disk-full.js';

export interface CachedAnswer {
  content: string;
  tokensIn: number;
  tokensOut: number;
  durationMs: number;
  /** Ollama's done_reason: "length" when num_predict cut the answer off. */
  doneReason?: string | null;
}

export function cachedAnswer(dbPath: string, key: string): CachedAnswer | null {
  const row = openMirror(dbPath)
    .prepare(
      'SELECT content, tokens_in AS tokensIn, tokens_out AS tokensOut, duration_ms AS durationMs, done_reason AS doneReason FROM llm_cache WHERE key = ?',
    )
    .get(key) as CachedAnswer | undefined;
  return row ?? null;
}

/** Keeps an answer for a retry; false when the disk is full: the answer in hand is still good, only a retry would ask again. */
export function storeAnswer(dbPath: string, key: string, model: string, answer: CachedAnswer): boolean {
  try {
    openMirror(dbPath)
      .prepare(
        `INSERT INTO llm_cache (key, model, content, tokens_in, tokens_out, duration_ms, created_at, done_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO NOTHING`,
      )
      .run(key, model, answer.content, answer.tokensIn, answer.tokensOut, answer.durationMs, new Date().toISOString(), answer.doneReason ?? null);
    return true;
  } catch (err) {
    if (isDiskFull(err)) return false;
    throw err;
  }
}
