// internal/store/memory.go: the -store memory implementation, maps behind one mutex. Items are
// copied in and out (their optional fields are pointers), so a caller changing an item it holds,
// an action that fails half-way included, never changes the stored one.
import { aligned, goFile, goString, type GoContext, type GoResource, withArticle } from './names.js';
import { sameValue, takenMessage } from './store.js';

const items = (g: GoResource) => `${g.r.name}Items`;
const last = (g: GoResource) => `${g.r.name}Last`;
const LOCK = '\tm.mu.Lock()\n\tdefer m.mu.Unlock()';

/** checkT: the parent exists, no other item has a unique value; each check one mutant's. */
function checkFunc(ctx: GoContext, g: GoResource): string {
  const checks: string[] = [];
  if (g.parent && ctx.keeps(`parent:${g.r.name}.${g.parent.name}`)) {
    const pf = g.fields.find((f) => f.isParent)!;
    checks.push(
      `\tif _, ok := m.${g.parent.name}Items[x.${pf.go}]; !ok {\n\t\treturn fail(ErrNoParent, ${goString(`${g.parent.name} %d does not exist`)}, x.${pf.go})\n\t}`,
    );
  }
  for (const f of g.fields.filter((f) => f.field.unique && ctx.keeps(`unique:${g.r.name}.${f.json}`))) {
    checks.push(`\tfor _, o := range m.${items(g)} {
		if o.ID != x.ID && ${sameValue(f, 'o', 'x')} {
			return fail(ErrConflict, ${goString(takenMessage(f))})
		}
	}`);
  }
  return `// check${g.T} refuses ${withArticle(g.r.name)} that breaks what the store enforces. Call it with m.mu held.
func (m *Memory) check${g.T}(x models.${g.T}) error {
${[...checks, '\treturn nil'].join('\n')}
}`;
}

function cloneFunc(g: GoResource): string {
  const copies = g.fields.filter((f) => f.pointer).map((f) => `\tx.${f.go} = clonePtr(x.${f.go})`);
  return `// clone${g.T} copies x with its own optional values.
func clone${g.T}(x models.${g.T}) models.${g.T} {
${[...copies, '\treturn x'].join('\n')}
}`;
}

function deleteFunc(ctx: GoContext, g: GoResource): string {
  const r = g.r.name;
  const blocks = g.children
    .filter((c) => ctx.keeps(`children:${r}.${c.name}`))
    .map(
      (c) => `\tfor _, c := range m.${c.name}Items {
		if c.${ctx.resources.find((x) => x.r.name === c.name)!.fields.find((f) => f.isParent)!.go} == id {
			return fail(ErrConflict, ${goString(`${r} %d still has ${c.plural}`)}, id)
		}
	}`,
    );
  return `// Delete${g.T} removes the ${r} with that id.
func (m *Memory) Delete${g.T}(ctx context.Context, id int64) error {
${LOCK}
	if _, ok := m.${items(g)}[id]; !ok {
		return fail(ErrNotFound, ${goString(`${r} %d not found`)}, id)
	}
${[...blocks, `\tdelete(m.${items(g)}, id)`, '\treturn nil'].join('\n')}
}`;
}

function methods(ctx: GoContext, g: GoResource): string {
  const { T, Ts } = g;
  const r = g.r.name;
  const zero = `models.${T}{}`;
  return `// List${Ts} returns every ${r}, ordered by id.
func (m *Memory) List${Ts}(ctx context.Context) ([]models.${T}, error) {
${LOCK}
	return sortedCopies(m.${items(g)}, clone${T}), nil
}

// Get${T} returns the ${r} with that id.
func (m *Memory) Get${T}(ctx context.Context, id int64) (models.${T}, error) {
${LOCK}
	x, ok := m.${items(g)}[id]
	if !ok {
		return ${zero}, fail(ErrNotFound, ${goString(`${r} %d not found`)}, id)
	}
	return clone${T}(x), nil
}

// Create${T} saves x as a new ${r} with the next id.
func (m *Memory) Create${T}(ctx context.Context, x models.${T}) (models.${T}, error) {
${LOCK}
	x.ID = 0
	if err := m.check${T}(x); err != nil {
		return ${zero}, err
	}
	m.${last(g)}++
	x.ID = m.${last(g)}
	m.${items(g)}[x.ID] = clone${T}(x)
	return x, nil
}

// Update${T} replaces the ${r} x.ID with x.
func (m *Memory) Update${T}(ctx context.Context, x models.${T}) (models.${T}, error) {
${LOCK}
	if _, ok := m.${items(g)}[x.ID]; !ok {
		return ${zero}, fail(ErrNotFound, ${goString(`${r} %d not found`)}, x.ID)
	}
	if err := m.check${T}(x); err != nil {
		return ${zero}, err
	}
	m.${items(g)}[x.ID] = clone${T}(x)
	return x, nil
}

${deleteFunc(ctx, g)}

${checkFunc(ctx, g)}

${cloneFunc(g)}`;
}

const HELPERS = `// sortedCopies returns copies of the items, ordered by id.
func sortedCopies[T any](items map[int64]T, clone func(T) T) []T {
	ids := make([]int64, 0, len(items))
	for id := range items {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		out = append(out, clone(items[id]))
	}
	return out
}

// clonePtr returns a pointer to a copy of *p, or nil.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}`;

/** internal/store/memory.go. */
export function memoryGo(ctx: GoContext): string {
  const fields = aligned([
    ['mu', 'sync.Mutex'],
    ...ctx.resources.flatMap((g) => [
      [items(g), `map[int64]models.${g.T}`],
      [last(g), 'int64'],
    ]),
  ]);
  const inits = aligned(
    ctx.resources.map((g) => [`${items(g)}:`, `map[int64]models.${g.T}{},`]),
    '\t\t',
  );
  const body = `// Memory keeps every item in maps, lost when the process ends. Ids start at 1 and are never reused.
type Memory struct {
${fields.join('\n')}
}

// NewMemory returns an empty store.
func NewMemory() Store {
	return &Memory{
${inits.join('\n')}
	}
}

${ctx.resources.map((g) => methods(ctx, g)).join('\n\n')}

${HELPERS}`;
  return goFile('store', body, [goString(`${ctx.module}/internal/models`)]);
}
