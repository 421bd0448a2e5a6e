// What a running run answers, for the CLI's live view and `status`; kept apart from the
// workflow so the client imports the query without the workflow's code.
import { defineQuery } from '@temporalio/workflow';
import type { RunState } from './types.js';

export const statusQuery = defineQuery<RunState>('status');
