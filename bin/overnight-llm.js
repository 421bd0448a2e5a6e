#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so the sources are the program (no build step needed).
import { register } from 'tsx/esm/api';

register();
await import('../client/cli.ts');
