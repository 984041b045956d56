const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What names an entry of a list in a spec: a component's `name`, an env var's `key`; else its place. */
function identityOf(entry: unknown, index: number): string {
  if (isObject(entry)) {
    if (typeof entry.name === 'string') return `name=${entry.name}`;
    if (typeof entry.key === 'string') return `key=${entry.key}`;
  }
  return `#${index}`;
}

/**
 * How many fields differ between two parsed specs, as a user counts them: a changed value is one,
 * and so is an added or removed entry (a component, an env var) however many fields it holds.
 * List entries are matched by name or key, so a reordered list changes nothing.
 */
export function countChangedFields(before: unknown, after: unknown): number {
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    let count = 0;
    for (const key of keys) {
      if (!(key in before) || !(key in after)) count += 1;
      else count += countChangedFields(before[key], after[key]);
    }
    return count;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const byId = (list: unknown[]) => new Map(list.map((entry, i) => [identityOf(entry, i), entry]));
    const a = byId(before);
    const b = byId(after);
    let count = 0;
    for (const [id, entry] of a) count += b.has(id) ? countChangedFields(entry, b.get(id)) : 1;
    for (const id of b.keys()) if (!a.has(id)) count += 1;
    return count;
  }
  return Object.is(before, after) ? 0 : 1;
}
