import { isScalar, LineCounter, parseDocument, visit, type ParsedNode, type YAMLError } from 'yaml';
import { quote } from './spec-problems';
import { MAX_YAML_DEPTH, tooDeepAt } from './yaml-nesting';

export { MAX_YAML_DEPTH } from './yaml-nesting';

/**
 * A YAML number or boolean, kept with the text it was written as: `tag: 1.20` must stay "1.20" where a string is
 * expected, while `http_port: 8080` must still read as a number.
 */
export class YamlScalar {
  constructor(
    readonly value: number | boolean,
    readonly source: string,
  ) {}

  /** Map keys are stringified through this, so `8080: x` keeps its key as written. */
  toString(): string {
    return this.source;
  }
}

export type ReadYamlResult =
  { ok: true; value: unknown; warnings: string[] } | { ok: false; message: string; warnings: string[] };

/** Largest spec accepted; DigitalOcean's own app specs are a few kilobytes. */
export const MAX_SPEC_CHARS = 1024 * 1024;
/** Bounds alias expansion (the "billion laughs"): yaml counts an alias once per alias inside its target. */
const MAX_ALIAS_COUNT = 100;

/** Parses YAML text into plain values, numbers and booleans wrapped in YamlScalar; never throws. */
export function readYaml(text: string): ReadYamlResult {
  if (text.length > MAX_SPEC_CHARS) {
    return { ok: false, message: `the spec is larger than ${MAX_SPEC_CHARS} characters`, warnings: [] };
  }
  const lineCounter = new LineCounter();
  const at = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return line > 0 ? `line ${line}, column ${col}` : `offset ${offset}`;
  };
  const where = (error: YAMLError): string => at(error.pos[0]);
  try {
    // The one pass that counts lines: parseDocument below is given no LineCounter, so it counts none twice.
    const deep = tooDeepAt(text, lineCounter.addNewLine);
    if (deep !== null) {
      return {
        ok: false,
        message: `the YAML nests deeper than ${MAX_YAML_DEPTH} levels at ${at(deep)}; an app spec needs far fewer`,
        warnings: [],
      };
    }
    // yaml's error names no key: the keys it finds set twice are kept here, in the order it reports them.
    const duplicates: string[] = [];
    const sameKey = (a: ParsedNode, b: ParsedNode): boolean => {
      const same = a === b || (isScalar(a) && isScalar(b) && a.value === b.value);
      if (same) duplicates.push(isScalar(b) ? String(b.value) : String(b));
      return same;
    };
    // logLevel 'error': yaml would otherwise print to the console; what it warns about is reported as problems instead.
    const doc = parseDocument(text, {
      prettyErrors: false,
      merge: true,
      uniqueKeys: sameKey,
      logLevel: 'error',
    });
    const warnings = doc.warnings.map((w) => `YAML warning at ${where(w)}: ${firstLine(w.message)}`);
    const [first] = doc.errors;
    if (first) {
      const key = first.code === 'DUPLICATE_KEY' ? duplicates[0] : undefined;
      const detail = key === undefined ? '' : `; ${quote(key)} is set twice`;
      return {
        ok: false,
        message: `YAML syntax error at ${where(first)}: ${firstLine(first.message)}${detail}`,
        warnings,
      };
    }
    visit(doc, {
      Scalar(key, node) {
        if (key === 'key') return;
        if (typeof node.value === 'number' || typeof node.value === 'boolean') {
          node.value = new YamlScalar(node.value, node.source ?? String(node.value));
        } else if (typeof node.value === 'bigint') {
          node.value = new YamlScalar(Number(node.value), node.source ?? String(node.value));
        }
      },
    });
    const value: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return { ok: true, value, warnings };
  } catch (error) {
    // toJS throws on alias bombs and aliases to missing anchors; a deeply nested document can overflow the stack.
    const message = error instanceof Error ? firstLine(error.message) : String(error);
    return { ok: false, message: `the YAML could not be read: ${message}`, warnings: [] };
  }
}

/** Whether a value is a YAML scalar Slipway wrapped (a number or boolean). */
export function isYamlScalar(value: unknown): value is YamlScalar {
  return value instanceof YamlScalar;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
