// The SQLite mirror: a record of every run for people and for status.json. The workflow
// is the source of truth; every write here is an idempotent upsert. The schema is
// versioned with PRAGMA user_version and grows by migrations, never drop-and-create.
import Database from 'better-sqlite3';
import path from 'node:path';
import { makeFolders } from './make-folders.js';

type DB = Database.Database;

/** Each entry moves the schema one version up; append, never edit a shipped one. */
const MIGRATIONS: string[] = [
  `CREATE TABLE runs (
     workflow_id TEXT PRIMARY KEY,
     prompt TEXT NOT NULL,
     model TEXT NOT NULL,
     output_dir TEXT NOT NULL,
     status TEXT NOT NULL,
     started_at TEXT NOT NULL,
     ended_at TEXT,
     working_ms INTEGER NOT NULL DEFAULT 0,
     repair_rounds INTEGER NOT NULL DEFAULT 0,
     error TEXT,
     updated_at TEXT NOT NULL
   );
   -- round: 0 for the first pass, n for repair round n; with phase it keys a phase record.
   CREATE TABLE phases (
     workflow_id TEXT NOT NULL,
     phase TEXT NOT NULL,
     round INTEGER NOT NULL,
     seq INTEGER NOT NULL,
     status TEXT NOT NULL,
     attempts INTEGER NOT NULL,
     started_at TEXT,
     ended_at TEXT,
     duration_ms INTEGER NOT NULL,
     tokens_in INTEGER NOT NULL,
     tokens_out INTEGER NOT NULL,
     error TEXT,
     PRIMARY KEY (workflow_id, phase, round)
   );
   CREATE TABLE files (
     workflow_id TEXT NOT NULL,
     path TEXT NOT NULL,
     phase TEXT NOT NULL,
     round INTEGER NOT NULL,
     bytes INTEGER NOT NULL,
     sha256 TEXT NOT NULL,
     PRIMARY KEY (workflow_id, path)
   );
   CREATE TABLE validations (
     workflow_id TEXT NOT NULL,
     round INTEGER NOT NULL,
     ok INTEGER NOT NULL,
     coverage_percent REAL,
     coverage_goal REAL NOT NULL,
     duration_ms INTEGER NOT NULL,
     PRIMARY KEY (workflow_id, round)
   );
   CREATE TABLE validation_steps (
     workflow_id TEXT NOT NULL,
     round INTEGER NOT NULL,
     step TEXT NOT NULL,
     ok INTEGER NOT NULL,
     skipped INTEGER NOT NULL,
     duration_ms INTEGER NOT NULL,
     output_tail TEXT NOT NULL,
     PRIMARY KEY (workflow_id, round, step)
   );
   CREATE TABLE llm_cache (
     key TEXT PRIMARY KEY,
     model TEXT NOT NULL,
     content TEXT NOT NULL,
     tokens_in INTEGER NOT NULL,
     tokens_out INTEGER NOT NULL,
     duration_ms INTEGER NOT NULL,
     created_at TEXT NOT NULL
   );`,
  // 2: how the validation contained the generated code; null for rounds recorded before.
  `ALTER TABLE validations ADD COLUMN containment TEXT;`,
  // 3: who wrote what in a file (FileProvenance as JSON), what code mended in a phase (JSON
  // array); null for whole-file runs and older rows.
  `ALTER TABLE files ADD COLUMN provenance TEXT;
   ALTER TABLE phases ADD COLUMN notes TEXT;`,
  // 4: why Ollama ended an answer ("stop", or "length" when num_predict cut it off); null before.
  `ALTER TABLE llm_cache ADD COLUMN done_reason TEXT;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

const open = new Map<string, DB>();

/** Opens (once per path and process) and migrates the mirror at `dbPath`. */
export function openMirror(dbPath: string): DB {
  const abs = path.resolve(dbPath);
  let db = open.get(abs);
  if (db) return db;
  makeFolders(path.dirname(abs));
  db = new Database(abs);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000'); // the CLI and a standalone worker may share the file
    migrate(db);
  } catch (err) {
    db.close(); // a refused or broken file must not leak a connection per retried activity
    throw err;
  }
  open.set(abs, db);
  return db;
}

function migrate(db: DB): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `the mirror database is schema version ${current}, newer than this overnight-llm (${MIGRATIONS.length}): upgrade overnight-llm or use another -db`,
    );
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

export function closeMirrors(): void {
  for (const db of open.values()) db.close();
  open.clear();
}
