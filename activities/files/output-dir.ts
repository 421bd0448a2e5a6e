// Decides whether a run may write into an output folder: a new or empty folder, or one an
// earlier run of ours wrote (it holds our marker), or any folder when the user allows it.
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeFolders } from '../../lib/make-folders.js';
import { MARKER_FILE } from '../../core/layout.js';

export class OutputDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputDirError';
  }
}

/** Throws OutputDirError with a one-line reason and what to do; creates the folder when missing. */
export function checkOutputDir(outputDir: string, allowNonEmpty: boolean): void {
  const abs = path.resolve(outputDir);
  if (abs === path.parse(abs).root || abs === os.homedir()) {
    throw new OutputDirError(`refusing output folder ${abs}: choose a folder of its own, e.g. ./generated`);
  }
  let entries: string[] = [];
  try {
    if (!statSync(abs).isDirectory()) throw new OutputDirError(`output ${abs} exists and is not a folder: choose another -output`);
    entries = readdirSync(abs);
  } catch (err) {
    if (err instanceof OutputDirError) throw err;
    try {
      makeFolders(abs);
    } catch (mkErr) {
      throw new OutputDirError(`cannot create output folder ${abs}: ${(mkErr as Error).message}; choose a writable -output`);
    }
  }
  try {
    accessSync(abs, constants.W_OK);
  } catch {
    throw new OutputDirError(`output folder ${abs} is not writable: choose a writable -output`);
  }
  if (entries.length === 0 || entries.includes(MARKER_FILE) || allowNonEmpty) return;
  const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? ', …' : '');
  throw new OutputDirError(
    `output folder ${abs} already holds files overnight-llm did not write (${shown}): choose an empty folder, or pass -allow-existing to add the generated files beside them`,
  );
}
