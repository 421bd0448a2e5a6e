// The fidelity list after the model's methods: an element whose method the model could not write
// (or whose body failed the tests) is not built and says what code's stand-in does instead; one
// nothing proved (a filter in words without examples, or whose body disagrees with them; an action
// a list disagrees with after it) stays built, and the user is told to check it.
import type { Fidelity } from './fidelity.js';
import type { Plan } from './plan.js';

/** A method of behaviour.go that no answer of the model compiled for, and got code's fallback body. */
export interface Unwritten {
  kind: 'action' | 'filter' | 'rule';
  resource: string;
  element: string;
}

const FALLBACK: Record<Unwritten['kind'], string> = {
  action: 'the action answers 409 and changes nothing',
  filter: 'the filter matches every item',
  rule: 'the rule refuses nothing',
};

/** The list after the model's methods: an element whose method the model could not write is not built, and says what it does instead. */
export function withUnwritten(f: Fidelity, plan: Plan, unwritten: Unwritten[], failedTests = false): Fidelity {
  const whereOf = (u: Unwritten) => {
    const plural = plan.resources.find((r) => r.name === u.resource)?.plural ?? '';
    return u.kind === 'action'
      ? `POST /${plural}/{id}/${u.element} (`
      : u.kind === 'filter'
        ? `GET /${plural}?${u.element}=true (`
        : `rule ${u.element} of ${u.resource} (`;
  };
  const requirements = f.requirements.map((r) => {
    const u = unwritten.find((x) => r.where?.startsWith(whereOf(x)));
    const what = failedTests ? `the model's body for ${u?.element} failed the API's tests` : `no body the model wrote for ${u?.element} compiled`;
    return u ? { asked: r.asked, where: null, why: `${what}: ${FALLBACK[u.kind]}` } : r;
  });
  return { ...f, requirements };
}

/** The filters in words nothing checked for meaning are built, and the user is to check them: their bodies disagree with the examples the model sorted, or the model sorted none. */
export const DISAGREES = "the model's body disagrees with the examples it sorted from the request";
export const NO_EXAMPLES = 'the model sorted no examples for it, so nothing checked what its body means';

/** A built element nothing proved: a filter in words (DISAGREES or NO_EXAMPLES), or an action a list disagrees with after it (its own why). */
export type Unchecked = Unwritten & { why?: string };

export function withUnchecked(f: Fidelity, plan: Plan, unchecked: Unchecked[], why: string = DISAGREES): Fidelity {
  const plural = (u: Unchecked) => plan.resources.find((p) => p.name === u.resource)?.plural ?? '';
  const where = (u: Unchecked) => (u.kind === 'action' ? `POST /${plural(u)}/{id}/${u.element} (` : `GET /${plural(u)}?${u.element}=true (`);
  // A filter by a flag's value is listed as `GET /tools?available=…`.
  const at = (r: { where: string | null }, u: Unchecked) =>
    r.where?.startsWith(where(u)) || (u.kind === 'filter' && r.where === `GET /${plural(u)}?${u.element}=…`);
  const requirements = f.requirements.map((r) => {
    const u = unchecked.find((x) => at(r, x));
    return u ? { ...r, why: `unchecked: ${u.why ?? why}; check it` } : r;
  });
  return { ...f, requirements };
}
