// The Go project code writes from a checked plan (docs/generated-api.md is the contract): every
// file but internal/models/behaviour.go, the model's (behaviourContract, renderBehaviour), and the
// tests. With `mutant` set, the same project with that one behaviour removed (mutants.ts).
import type { Plan, Store } from '../plan.js';
import { GO_SUM, goMod } from './gomod.js';
import { handlersGo } from './handlers.js';
import { memoryGo } from './memory.js';
import { modelsGo } from './models.js';
import { mutantsOf } from './mutants.js';
import { goContext } from './names.js';
import { mainGo } from './server.js';
import { sqliteGo } from './sqlite.js';
import { storeGo } from './store.js';

export { BEHAVIOUR_PATH, behaviourContract, fallbackBody, renderBehaviour, UNWRITTEN_BODY, type BehaviourContract, type BehaviourHole } from './behaviour.js';
export { cacheWarmingModule, GO_SUM, GO_VERSION_MEMORY, GO_VERSION_SQLITE, SQLITE_MODULE, SQLITE_VERSION } from './gomod.js';
export { mutantsOf, type Mutant } from './mutants.js';

export interface GoProjectOptions {
  store: Store;
  /** A mutant's id (mutantsOf): the project with that behaviour removed. */
  mutant?: string;
}

export interface GoProjectFile {
  path: string;
  content: string;
  by: 'code';
}

/**
 * The code-written files of the Go project, in a fixed order. The project compiles once
 * `renderBehaviour(behaviourContract(plan), bodies)` is written at BEHAVIOUR_PATH beside them.
 */
export function goProject(plan: Plan, options: GoProjectOptions): GoProjectFile[] {
  const { store, mutant } = options;
  if (mutant !== undefined && !mutantsOf(plan).some((m) => m.id === mutant)) throw new Error(`no mutant ${mutant} in this plan`);
  const ctx = goContext(plan, store, mutant);
  const files: [string, string][] = [
    ['go.mod', goMod(ctx)],
    ...(store === 'sqlite' ? [['go.sum', GO_SUM] as [string, string]] : []),
    ['cmd/server/main.go', mainGo(ctx)],
    ['internal/models/models.go', modelsGo(ctx)],
    ['internal/store/store.go', storeGo(ctx)],
    ['internal/store/memory.go', memoryGo(ctx)],
    ...(store === 'sqlite' ? [['internal/store/sqlite.go', sqliteGo(ctx)] as [string, string]] : []),
    ['internal/handlers/handlers.go', handlersGo(ctx)],
  ];
  return files.map(([path, content]) => ({ path, content, by: 'code' as const }));
}
