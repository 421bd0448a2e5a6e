// Bundles the workflow code ahead of the first run (make build); workers reuse it.
import { cachedWorkflowBundle } from '../worker/workflow-bundle.js';

console.log(`workflow bundle: ${await cachedWorkflowBundle()}`);
