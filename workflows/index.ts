// The workflows the worker bundles.
export { generateApi, statusQuery } from './pipeline.js';
