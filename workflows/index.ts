// The workflows the worker bundles.
export { generateApi } from './pipeline.js';
export { runBatch } from './batch.js';
export { statusQuery } from './queries.js';
