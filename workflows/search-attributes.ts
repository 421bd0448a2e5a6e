// Custom search attributes: what a person filters runs by, in the Web UI and with `list`.
// The CLI registers them on the server; the workflow keeps them current.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** The phase running now, then the last phase the run reached. */
export const PHASE_KEY = defineSearchAttributeKey('OvernightPhase', SearchAttributeType.KEYWORD);
export const MODEL_KEY = defineSearchAttributeKey('OvernightModel', SearchAttributeType.KEYWORD);
/** valid, invalid, unvalidated (-skip-validation), planned (ended after its plan), failed or cancelled; unset while running. */
export const OUTCOME_KEY = defineSearchAttributeKey('OvernightOutcome', SearchAttributeType.KEYWORD);
/** Total statement coverage of the last validation, percent. */
export const COVERAGE_KEY = defineSearchAttributeKey('OvernightCoverage', SearchAttributeType.DOUBLE);

/** The overnight-llm release that started the run (set at its start, never changed): docs/versioning.md. */
export const RELEASE_KEY = defineSearchAttributeKey('OvernightRelease', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_KEYS = [PHASE_KEY, MODEL_KEY, OUTCOME_KEY, COVERAGE_KEY, RELEASE_KEY];

export type Outcome = 'valid' | 'invalid' | 'unvalidated' | 'planned' | 'failed' | 'cancelled';
