import { LineCounter, parseDocument, visit, type YAMLError } from 'yaml';

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
  const where = (error: YAMLError): string => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return line > 0 ? `line ${line}, column ${col}` : `offset ${error.pos[0]}`;
  };
  try {
    // logLevel 'error': yaml would otherwise print to the console; what it warns about is reported as problems instead.
    const doc = parseDocument(text, {
      lineCounter,
      prettyErrors: false,
      merge: true,
      uniqueKeys: true,
      logLevel: 'error',
    });
    const warnings = doc.warnings.map((w) => `YAML warning at ${where(w)}: ${firstLine(w.message)}`);
    const [first] = doc.errors;
    if (first) {
      return { ok: false, message: `YAML syntax error at ${where(first)}: ${firstLine(first.message)}`, warnings };
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
