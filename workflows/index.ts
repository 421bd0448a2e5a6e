// The workflows the worker bundles.
export { generateApi } from './pipeline.js';
export { statusQuery } from './queries.js';
