import { CST, Parser } from 'yaml';

/** How deep an app spec may nest; DigitalOcean's deepest field (ingress rules) is eight levels down. */
export const MAX_YAML_DEPTH = 64;

/**
 * Where the YAML first nests deeper than {@link MAX_YAML_DEPTH}, or null;
 * `onNewLine` hears every line start up to there (a LineCounter's addNewLine).
 * Walked on yaml's concrete syntax tree, with a stack of our own: yaml's
 * composer recurses once per level and would overflow the call stack first,
 * at a depth that depends on how deep the caller's own stack already is.
 */
export function tooDeepAt(text: string, onNewLine?: (offset: number) => void): number | null {
  const pending: Array<{ token: CST.Token; depth: number }> = [];
  for (const token of new Parser(onNewLine).parse(text)) {
    pending.push({ token, depth: 0 });
    while (pending.length > 0) {
      const { token: next, depth } = pending.pop()!;
      if (next.type === 'document') {
        if (next.value) pending.push({ token: next.value, depth });
      } else if (CST.isCollection(next)) {
        if (depth + 1 > MAX_YAML_DEPTH) return next.offset;
        for (const item of next.items) {
          if (item.key) pending.push({ token: item.key, depth: depth + 1 });
          if (item.value) pending.push({ token: item.value, depth: depth + 1 });
        }
      }
    }
  }
  return null;
}
