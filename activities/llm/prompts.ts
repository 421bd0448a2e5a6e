// Prompt templates live in prompts/*.txt, plain text a person can edit; this fills their
// {{placeholders}} from the plan and from files already written.
import { readFileSync } from 'node:fs';
import { projectPath } from '../../lib/project-root.js';
import type { ApiSpec, FilePhase } from '../../core/types.js';
import { filePathFor } from '../../core/layout.js';

export const PROMPTS_DIR = process.env.OVERNIGHT_PROMPTS_DIR ?? projectPath('prompts');

/** A prompts/*.txt file: the whole-file flow's, the guided strategy's function, function-fix and test-cases, the plan writer's behaviour and filter examples. */
export type PromptName = 'system' | 'plan' | 'plan-bare' | 'repair' | 'function' | 'function-fix' | 'test-cases' | 'behaviour' | 'filter-examples' | FilePhase;

/** Read on every use, so an edited prompt takes effect on the next phase. */
export function loadPrompt(name: PromptName): string {
  return readFileSync(`${PROMPTS_DIR}/${name}.txt`, 'utf8');
}

/** Replaces every {{key}}; a placeholder with no value is a bug in the template, not a blank. */
export function renderPrompt(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{([\w:]+)\}\}/g, (_, key: string) => {
    const value = vars[key];
    if (value === undefined) throw new Error(`prompt placeholder {{${key}}} has no value`);
    return value;
  });
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The plan's facts, as the templates name them. */
export function specVars(spec: ApiSpec): Record<string, string> {
  const required = spec.fields.filter((f) => f.required).map((f) => f.name);
  return {
    module: spec.module,
    resource: spec.resource,
    Resource: capitalize(spec.resource),
    plural: spec.plural,
    fields: spec.fields.map((f) => `- ${f.name} ${f.type} \`json:"${f.json}"\`${f.required ? ' (required)' : ''}`).join('\n'),
    required: required.length ? required.join(', ') : 'none',
    endpoints: spec.endpoints.map((e) => `- ${e.method} ${e.path} → ${e.status}`).join('\n'),
  };
}

/** A file shown to the model for reference. Not a `File:` line: that names only the file asked for. */
export function referenceBlock(path: string, content: string | null): string {
  const lang = path.endsWith('.go') ? 'go' : '';
  return `${path}:\n\`\`\`${lang}\n${content ?? '(not written yet)'}\n\`\`\``;
}

/** `{{file:<phase>}}` values for the phases a prompt depends on. */
export function dependencyVars(spec: ApiSpec, phases: FilePhase[], read: (path: string) => string | null): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const phase of phases) {
    const path = filePathFor(phase, spec.resource);
    vars[`file:${phase}`] = referenceBlock(path, read(path));
  }
  return vars;
}
