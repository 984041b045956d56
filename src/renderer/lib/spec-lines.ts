import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';

export type PathSegment = string | number;

/** Reads a field path as the spec loader writes it: `services[1].envs[0].key`, `["odd key"]`, `[2]`. */
export function parseFieldPath(path: string): PathSegment[] | null {
  const segments: PathSegment[] = [];
  let rest = path.trim();
  let first = true;
  while (rest.length > 0) {
    let match: RegExpExecArray | null;
    if ((match = (first ? /^([A-Za-z_][A-Za-z0-9_-]*)/ : /^\.([A-Za-z_][A-Za-z0-9_-]*)/).exec(rest))) {
      segments.push(match[1]!);
    } else if ((match = /^\[(\d+)\]/.exec(rest))) {
      segments.push(Number(match[1]));
    } else if ((match = /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest))) {
      try {
        const key = JSON.parse(match[1]!) as string;
        // A quoted key is cut short with an ellipsis when long; such a key cannot be followed exactly.
        if (key.endsWith('…')) return segments;
        segments.push(key);
      } catch {
        return null;
      }
    } else {
      return null;
    }
    rest = rest.slice(match[0].length);
    first = false;
  }
  return segments;
}

/**
 * Finds the line (1-based) of a spec field in YAML text: the line of its key,
 * or of the nearest enclosing field that exists when the field itself is
 * missing. A spec under `spec:` (a deploy template) is searched there too.
 */
export function lineOfField(yamlText: string, path: string): number | null {
  const segments = parseFieldPath(path);
  if (!segments) return null;
  const lineCounter = new LineCounter();
  let doc;
  try {
    doc = parseDocument(yamlText, { lineCounter, logLevel: 'silent' });
  } catch {
    return null;
  }
  const lineAt = (offset: number | undefined) => (offset === undefined ? null : lineCounter.linePos(offset).line);
  let node: unknown = doc.contents;
  if (isMap(node) && segments[0] !== 'spec') {
    const wrapped = node.get('spec', true);
    if (isMap(wrapped) && !node.has('name')) node = wrapped;
  }
  let line: number | null = segments.length === 0 ? lineAt((node as YamlNode | null)?.range?.[0]) : null;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment);
      if (!pair || !isScalar(pair.key)) break;
      line = lineAt(pair.key.range?.[0]) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as YamlNode | undefined;
      if (!item) break;
      line = lineAt(item.range?.[0]) ?? line;
      node = item;
    } else {
      break;
    }
  }
  return line;
}
