// The fidelity prompt set: sentences as a person would type them, each asking for several things
// the plan must hold (a relation, an enum or range, an action or a filter in words, a date, a
// uniqueness rule, persistence), in domains the project's own examples do not use. Written before
// any generation; each element is what an acceptance script probes over HTTP.
import { PROMPTS } from '../model-rows.js';
import { HELD_OUT_PROMPTS } from './held-out.js';
import type { ElementKind, FidelityPrompt } from './types.js';

export type { ElementKind, FidelityPrompt };

export const FIDELITY_PROMPTS: FidelityPrompt[] = [
  {
    id: 'gym',
    sentence:
      'REST API for a gym: members with a unique email and a level of basic, silver or gold, and classes with a title, a date and a capacity from 1 to 30; list the classes on a given date',
    elements: [
      { kind: 'resource', description: 'members at /members' },
      { kind: 'resource', description: 'classes at /classes' },
      { kind: 'unique', description: 'a second member with the same email is refused' },
      { kind: 'enum', description: 'level is basic, silver or gold; another value is refused' },
      { kind: 'date', description: 'a class has a date' },
      { kind: 'range', description: 'capacity outside 1 to 30 is refused' },
      { kind: 'filter', description: 'classes filtered by date' },
    ],
  },
  {
    id: 'clinic',
    sentence:
      'REST API for a vet clinic: owners with a name and a phone, pets that belong to an owner with a name and a species of dog, cat or bird, and a birth date; list the pets of an owner',
    elements: [
      { kind: 'resource', description: 'owners at /owners' },
      { kind: 'resource', description: 'pets at /pets' },
      { kind: 'relation', description: 'a pet belongs to an owner; a pet of a missing owner is refused' },
      { kind: 'enum', description: 'species is dog, cat or bird' },
      { kind: 'date', description: 'a pet has a birth date' },
      { kind: 'relation', description: "the pets of an owner at /owners/{id}/pets hold exactly that owner's pets" },
    ],
  },
  {
    id: 'library',
    sentence:
      'REST API for a neighbourhood tool library: tools with a unique name and a condition of good, worn or broken, that can be lent and returned; list the tools that are available; data survives a restart',
    elements: [
      { kind: 'resource', description: 'tools at /tools' },
      { kind: 'unique', description: 'a second tool with the same name is refused' },
      { kind: 'enum', description: 'condition is good, worn or broken' },
      { kind: 'action', description: 'lend a tool: it is no longer available' },
      { kind: 'action', description: 'return a tool: it is available again' },
      { kind: 'filter', description: 'the available tools' },
      { kind: 'persistence', description: 'a tool is still there after a restart' },
    ],
  },
  {
    id: 'recipes',
    sentence:
      'REST API for recipes: each recipe has a title, a preparation time in minutes from 1 to 600 and a difficulty of easy, medium or hard, and ingredients that belong to a recipe with a name and a quantity; list the quick recipes (under 30 minutes)',
    elements: [
      { kind: 'resource', description: 'recipes at /recipes' },
      { kind: 'resource', description: 'ingredients at /ingredients' },
      { kind: 'range', description: 'preparation time outside 1 to 600 is refused' },
      { kind: 'enum', description: 'difficulty is easy, medium or hard' },
      { kind: 'relation', description: 'an ingredient belongs to a recipe; the recipe lists its ingredients' },
      { kind: 'filter', description: 'quick recipes: preparation time under 30 minutes' },
    ],
  },
  {
    id: 'parking',
    sentence:
      'REST API for a parking garage: spots with a unique number and a size of small, regular or large, and bookings of a spot with a licence plate, a start time and an end time; a booking can be cancelled; list the active bookings',
    elements: [
      { kind: 'resource', description: 'spots at /spots' },
      { kind: 'resource', description: 'bookings at /bookings' },
      { kind: 'unique', description: 'a second spot with the same number is refused' },
      { kind: 'enum', description: 'size is small, regular or large' },
      { kind: 'relation', description: 'a booking belongs to a spot' },
      { kind: 'date', description: 'a booking has a start time and an end time' },
      { kind: 'action', description: 'cancel a booking: it is no longer active' },
      { kind: 'filter', description: 'the active bookings' },
    ],
  },
  {
    id: 'courses',
    sentence:
      'REST API for an online school: courses with a title and a level from 1 to 5, and lessons that belong to a course with a title and a publish date; a lesson can be published; list the published lessons',
    elements: [
      { kind: 'resource', description: 'courses at /courses' },
      { kind: 'resource', description: 'lessons at /lessons' },
      { kind: 'range', description: 'level outside 1 to 5 is refused' },
      { kind: 'relation', description: 'a lesson belongs to a course; the course lists its lessons' },
      { kind: 'date', description: 'a lesson has a publish date' },
      { kind: 'action', description: 'publish a lesson: it is published afterwards' },
      { kind: 'filter', description: 'the published lessons' },
    ],
  },
  {
    id: 'fleet',
    sentence:
      'REST API for a delivery fleet: vans with a unique plate and a mileage of at least 0, and trips of a van with a destination and a status of planned, on the road or done; list the trips by status; data survives a restart',
    elements: [
      { kind: 'resource', description: 'vans at /vans' },
      { kind: 'resource', description: 'trips at /trips' },
      { kind: 'unique', description: 'a second van with the same plate is refused' },
      { kind: 'range', description: 'a negative mileage is refused' },
      { kind: 'relation', description: 'a trip belongs to a van' },
      { kind: 'enum', description: 'status is planned, on the road or done' },
      { kind: 'filter', description: 'trips filtered by status' },
      { kind: 'persistence', description: 'a van is still there after a restart' },
    ],
  },
  {
    id: 'garden',
    sentence:
      'REST API for a community garden: plots with a unique code and an area in square metres from 1 to 100, and plants in a plot with a name, a planting date and a watered flag; a plant can be watered; list the plants that need water',
    elements: [
      { kind: 'resource', description: 'plots at /plots' },
      { kind: 'resource', description: 'plants at /plants' },
      { kind: 'unique', description: 'a second plot with the same code is refused' },
      { kind: 'range', description: 'area outside 1 to 100 is refused' },
      { kind: 'relation', description: 'a plant belongs to a plot' },
      { kind: 'date', description: 'a plant has a planting date' },
      { kind: 'action', description: 'water a plant: its watered flag is true afterwards' },
      { kind: 'filter', description: 'the plants that need water' },
    ],
  },
];

/**
 * The five plain prompts of section 5 (bench/model-rows.ts), run on the same path: each asks for
 * one kind of item, kept under the sentence's noun and read back as it was sent.
 */
export const PLAIN_PROMPTS: FidelityPrompt[] = (
  [
    { id: 'todo', elements: [{ kind: 'resource', description: 'todos at /todos' }] },
    { id: 'bookstore', elements: [{ kind: 'resource', description: 'books at /books' }] },
    { id: 'notes', elements: [{ kind: 'resource', description: 'notes at /notes' }] },
    { id: 'inventory', elements: [{ kind: 'resource', description: 'inventory items (items, products or stock) at their path' }] },
    { id: 'events', elements: [{ kind: 'resource', description: 'events at /events' }] },
  ] as Omit<FidelityPrompt, 'sentence'>[]
).map((p) => ({ ...p, sentence: PROMPTS[p.id]! }));

/** Every prompt `make bench-plan-runs` runs: the fidelity set, the plain prompts, then the held-out ones (held-out.ts). */
export const PLAN_RUN_PROMPTS = [...FIDELITY_PROMPTS, ...PLAIN_PROMPTS, ...HELD_OUT_PROMPTS];
export { HELD_OUT_PROMPTS };
