// internal/store/store.go: the Store interface the handlers depend on and the errors its
// implementations return (memory.go, sqlite.go), plus what both share: the unique fields and
// parent checks as data, so the two stores enforce the same rules.
import { goString, type GoContext, type GoField, type GoResource } from './names.js';

/** The methods of one resource, with their doc comments, as the interface lists them. */
function methodsOf(g: GoResource): string[] {
  const { T, Ts } = g;
  const r = g.r.name;
  const unique = g.fields.filter((f) => f.field.unique).map((f) => f.json);
  const refusals = [
    ...(unique.length ? [`ErrConflict when another ${r} has its ${unique.join(' or its ')}`] : []),
    ...(g.parent ? [`ErrNoParent when its ${g.parent.name} does not exist`] : []),
  ];
  const refuses = refusals.map((s) => `; ${s}`).join('');
  const blocked = g.children.length ? `; ErrConflict while it has ${g.children.map((c) => c.plural).join(' or ')}` : '';
  return [
    `// List${Ts} returns every ${r}, ordered by id.`,
    `List${Ts}(ctx context.Context) ([]models.${T}, error)`,
    `// Get${T} returns the ${r} with that id, or ErrNotFound.`,
    `Get${T}(ctx context.Context, id int64) (models.${T}, error)`,
    `// Create${T} saves x as a new ${r} with the next id, and returns it${refuses}.`,
    `Create${T}(ctx context.Context, x models.${T}) (models.${T}, error)`,
    `// Update${T} replaces the ${r} x.ID with x: ErrNotFound when there is none${refuses}.`,
    `Update${T}(ctx context.Context, x models.${T}) (models.${T}, error)`,
    `// Delete${T} removes the ${r} with that id: ErrNotFound when there is none${blocked}.`,
    `Delete${T}(ctx context.Context, id int64) error`,
  ];
}

/** internal/store/store.go. */
export function storeGo(ctx: GoContext): string {
  const methods = ctx.resources.flatMap((g) => methodsOf(g).map((line) => `\t${line}`));
  const body = `// Package store keeps the API's items: in maps (memory.go) or in SQLite (sqlite.go), behind
// the one interface the handlers depend on.
package store

import (
	"context"
	"errors"
	"fmt"

	${goString(`${ctx.module}/internal/models`)}
)

// The errors the stores return, wrapped with a message for the client; test them with errors.Is.
var (
	// ErrNotFound: no item has the id (404).
	ErrNotFound = errors.New("not found")
	// ErrConflict: a unique value is taken, or a parent still has children (409).
	ErrConflict = errors.New("conflict")
	// ErrNoParent: the parent an item names does not exist (422).
	ErrNoParent = errors.New("parent not found")
)

// Store keeps every resource of the API; its methods are safe for concurrent use.
type Store interface {
${methods.join('\n')}
}

// storeError is one of the errors above with the message the client is told.
type storeError struct {
	kind    error
	message string
}

func (e *storeError) Error() string { return e.message }

func (e *storeError) Unwrap() error { return e.kind }

// fail returns kind (ErrNotFound, ErrConflict, ErrNoParent) with a message for the client.
func fail(kind error, format string, args ...any) error {
	return &storeError{kind: kind, message: fmt.Sprintf(format, args...)}
}
`;
  return body;
}

/** The Go test that two items share a unique field's value (`a`, `b` are items). */
export function sameValue(f: GoField, a: string, b: string): string {
  const eq = (x: string, y: string) =>
    f.field.type === 'date' ? `${x}.String() == ${y}.String()` : f.field.type === 'datetime' ? `${x}.Equal(${y})` : `${x} == ${y}`;
  const x = `${a}.${f.go}`;
  const y = `${b}.${f.go}`;
  if (!f.pointer) return eq(x, y);
  // A method's receiver is dereferenced by Go itself; an operand of == or of Equal is not.
  const same = f.field.type === 'date' ? eq(x, y) : f.field.type === 'datetime' ? eq(x, `*${y}`) : eq(`*${x}`, `*${y}`);
  return `${x} != nil && ${y} != nil && ${same}`;
}

/** The client's message when a unique value is taken. */
export const takenMessage = (f: GoField) => `${f.json} is already taken`;
