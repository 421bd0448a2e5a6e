// Registers the run's search attributes on the Temporal server (idempotent). The embedded dev
// server gets them at start too; a server we may not change keeps working without them.
import type { ConnectionLike } from '@temporalio/client';
import proto from '@temporalio/proto'; // CommonJS: no named exports under ESM

const { IndexedValueType } = proto.temporal.api.enums.v1;
import { TypedSearchAttributes } from '@temporalio/common';
import { RELEASE } from '../lib/release.js';
import { RELEASE_KEY, SEARCH_ATTRIBUTE_KEYS } from '../workflows/search-attributes.js';

/** `--search-attribute` flags for `temporal server start-dev`. */
export function devServerSearchAttributeArgs(): string[] {
  const title = (t: string) => t.charAt(0) + t.slice(1).toLowerCase();
  return SEARCH_ATTRIBUTE_KEYS.flatMap((k) => ['--search-attribute', `${k.name}=${title(k.type)}`]);
}

/**
 * True when every attribute is registered in `namespace` (registering the missing ones);
 * false with a reason when the server refuses, so runs go on without them.
 */
export async function ensureSearchAttributes(
  connection: Pick<ConnectionLike, 'operatorService'>,
  namespace: string,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const custom = customAttributes ?? {};
    const missing = SEARCH_ATTRIBUTE_KEYS.filter((k) => !(k.name in custom));
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((k) => [k.name, IndexedValueType[`INDEXED_VALUE_TYPE_${k.type}`]])),
      });
    }
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
  }
}

/** A start's search attributes when the server has them: the release that starts the run (docs/versioning.md). */
export function startAttributes(registered: boolean): { typedSearchAttributes?: TypedSearchAttributes } {
  return registered ? { typedSearchAttributes: new TypedSearchAttributes([{ key: RELEASE_KEY, value: RELEASE }]) } : {};
}
