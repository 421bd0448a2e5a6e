// The fidelity benchmark's shapes: a sentence with the elements it asks for, and the check that
// probes one element over HTTP. Their own file, so the prompt sets and their scripts import them
// without importing each other.
import type { Probe } from './probes.js';

export type ElementKind = 'resource' | 'field' | 'enum' | 'range' | 'unique' | 'relation' | 'filter' | 'action' | 'date' | 'persistence' | 'format' | 'default';

export interface FidelityPrompt {
  id: string;
  sentence: string;
  elements: { kind: ElementKind; description: string }[];
}

export interface Check {
  /** The sentence's words for the element: what a "not built" line would name. */
  words: string[];
  probe: Probe;
}
