import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's rows file, named by the suite's setup. */
    faultRowsFile: string;
  }
}

const ROOT = path.resolve(__dirname, '../../..');

/**
 * Where a run's fault tests append their rows, one JSON line each. Each run
 * has its own file: other runs in the same tree (a colleague's, a second
 * terminal) neither empty it nor add to it.
 */
export function faultRowsFile(run: string): string {
  return path.join(ROOT, 'test-results', `faults-${run}.jsonl`);
}
/** The fault tests, found by the suite's teardown to tell a full run from a partial one. */
export const FAULTS_DIR = path.join(ROOT, 'test', 'faults');

/** One row of docs/RELIABILITY.md, as a fault test found it. */
export interface FaultRow {
  /** Orders the table, stable across runs: `<file's topic>/<n>`, e.g. `engine-kill/1`. */
  key: string;
  /** The fault test file, relative to test/faults. */
  file: string;
  fault: string;
  whatTheUserSees: string;
  checkedAfterwards: string;
  result: string;
}

/** A line of the rows file: a row declared when its file loads, or its outcome. */
export type FaultLine = { type: 'declared'; key: string; file: string; fault: string } | ({ type: 'row' } & FaultRow);

function append(line: FaultLine): void {
  const file = inject('faultRowsFile');
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}

/**
 * A check's failure that says something stable about what was found, for the
 * table (a count, never an id); `detail` (ids, bodies) goes to the test output only.
 */
export class Finding extends Error {
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

/**
 * What one fault test observed: what the user was shown, and each check made
 * afterwards with its outcome. `sees` and every check take what the test
 * really found; nothing in a row is written by hand.
 */
export class FaultReport {
  private seen: string[] = [];
  private readonly checks: Array<{ name: string; failure?: string; detail?: string }> = [];
  private readonly aliases = new Map<string, string>();

  /** Writes `value` (a name made unique for this run, such as the app's) as `placeholder` in the row. */
  alias(value: string, placeholder: string): void {
    this.aliases.set(value, placeholder);
  }

  private stable(text: string): string {
    let out = text;
    for (const [value, placeholder] of this.aliases) out = out.split(value).join(placeholder);
    return stableText(out);
  }

  /** Adds what the user was shown (a message, a status), taken from the engine's own answer. */
  sees(text: string): void {
    this.seen.push(text);
  }

  /** Runs one check; a failure is recorded (and fails the test at the end) without stopping the others. */
  async check(name: string, probe: () => unknown): Promise<void> {
    try {
      await probe();
      this.checks.push({ name });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.checks.push({
        name,
        failure: err instanceof Finding ? message : 'failed',
        detail: err instanceof Finding && err.detail ? `${message} (${err.detail})` : message,
      });
    }
  }

  /** The failures, with their full messages for the test output. */
  failures(): string[] {
    return this.checks.filter((c) => c.failure).map((c) => `${c.name}: ${c.detail}`);
  }

  toRow(key: string, file: string, fault: string, crash: string | null): FaultRow {
    const failed = this.checks.filter((c) => c.failure);
    let result = failed.length === 0 ? 'pass' : `FAIL: ${failed.map((c) => `${c.name} (${c.failure})`).join('; ')}`;
    if (crash !== null) result = `FAIL: the test stopped early: ${crash}`;
    else if (this.checks.length === 0) result = 'FAIL: nothing was checked';
    return {
      key,
      file,
      fault,
      whatTheUserSees: this.stable(this.seen.join('; ')) || '(nothing observed)',
      checkedAfterwards: this.checks.map((c) => c.name).join('; '),
      result: this.stable(result),
    };
  }
}

/**
 * The rows of one fault test file. Declare each row at the file's top level
 * (`const row = table.row('topic/1', 'what goes wrong')`), then, inside its
 * test, `await row.run(async (report) => { ... })`: the row is written with
 * the outcome of every check, and the test fails if any check did.
 */
export function faultTable(testFile: string) {
  const file = path.relative(FAULTS_DIR, testFile);
  return {
    row(key: string, fault: string) {
      append({ type: 'declared', key, file, fault });
      return {
        key,
        fault,
        async run(body: (report: FaultReport) => Promise<void>): Promise<void> {
          const report = new FaultReport();
          let crash: unknown = null;
          try {
            await body(report);
          } catch (err) {
            crash = err;
          }
          const crashText = crash === null ? null : firstLine(crash);
          append({ type: 'row', ...report.toRow(key, file, fault, crashText) });
          if (crash !== null) throw crash;
          const failures = report.failures();
          if (failures.length > 0) throw new Error(`${fault}:\n  ${failures.join('\n  ')}`);
        },
      };
    },
  };
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]!.slice(0, 200);
}

/**
 * Text with what differs from run to run replaced by placeholders, so the
 * table is the same file when the results are: deployment and container ids,
 * ports, scratch paths, sizes in MB and times.
 */
export function stableText(text: string): string {
  return (
    text
      // Colours a build printed: the table is text.
      // eslint-disable-next-line no-control-regex
      .replace(/\x1b\[[0-9;]*m/g, '')
      .replace(/\b[0-9a-z]{9}[0-9a-f]{8}\b/g, '<deployment>')
      .replace(/\b(sha256:)?[0-9a-f]{64}\b/g, '<id>')
      .replace(/\b[0-9a-f]{12}\b/g, '<id>')
      .replace(/\/tmp\/[^\s'"`:,)]+/g, '<scratch>')
      .replace(/\b(127\.0\.0\.1|localhost):\d+/g, '$1:<port>')
      .replace(/\bport \d{4,5}\b/g, 'port <port>')
      .replace(/\b\d+(\.\d+)? ?(MB|KB|kB|B)\b/g, '<size>')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
      .replace(/\s+/g, ' ')
      .trim()
  );
}
