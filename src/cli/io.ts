import { escapeJsonControls, neutraliseControls } from './terminal-controls';

/** Where the CLI writes; tests pass their own to read what a user would see. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** All of standard input (for --password-stdin); tests and pipes give it. */
  readStdin?(): Promise<string>;
  /** Asks the person at the terminal; undefined when nobody can answer (no TTY). */
  ask?(question: string): Promise<string>;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  ...(process.stdin.isTTY
    ? {
        ask: async (question: string) => {
          const { createInterface } = await import('node:readline/promises');
          const rl = createInterface({ input: process.stdin, output: process.stderr });
          try {
            return await rl.question(question);
          } finally {
            rl.close();
          }
        },
      }
    : {}),
};

export type OutputFormat = 'text' | 'json';

/**
 * The CLI's output as it may reach a terminal: what it prints carries text from
 * builds and containers, so control sequences other than colours are shown, not
 * obeyed (`--raw` skips this). Prompts and standard input pass as they are.
 */
export function terminalSafeIO(io: CliIO, output: OutputFormat): CliIO {
  const safe = output === 'json' ? escapeJsonControls : neutraliseControls;
  return { ...io, out: (text) => io.out(safe(text)), err: (text) => io.err(safe(text)) };
}

/** Prints rows as an aligned table with a header, the way `doctl` does. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('    ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
