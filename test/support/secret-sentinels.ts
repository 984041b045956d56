import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { stopEngineProcess } from './slipway-process';

/** A PEM-like multi-line secret whose inner lines are random, so finding one anywhere is a leak. */
export function pemSentinel(): { value: string; inner: string[] } {
  const inner = [0, 1, 2].map(() => randomBytes(24).toString('hex'));
  return { value: ['-----BEGIN PRIVATE KEY-----', ...inner, '-----END PRIVATE KEY-----'].join('\n'), inner };
}

/** A spec env entry holding a multi-line SECRET as a YAML block. */
export function blockSecret(key: string, value: string, scope: string): string {
  const indented = value
    .split('\n')
    .map((line) => `          ${line}`)
    .join('\n');
  return [`      - key: ${key}`, '        type: SECRET', `        scope: ${scope}`, '        value: |', indented].join(
    '\n',
  );
}

/** Every regular file under a folder, with its text. */
export async function filesUnder(dir: string): Promise<Array<{ file: string; text: string }>> {
  const out: Array<{ file: string; text: string }> = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile()) out.push({ file, text: await readFile(file, 'utf8') });
  }
  return out;
}

/**
 * Every file of a data folder once its engine has ended (SIGTERM: once nothing is in flight). After `deploy --wait`
 * returns the engine still works (the old version drains, the state is written aside and renamed): only a settled
 * folder says all it holds.
 */
export async function settledDataFiles(data: string): Promise<Array<{ file: string; text: string }>> {
  await stopEngineProcess(data);
  return filesUnder(data);
}

/** The files (and JSON paths) where any of the sentinels appears. */
export function leaks(texts: Array<{ file: string; text: string }>, sentinels: string[]): string[] {
  return texts.flatMap(({ file, text }) => sentinels.filter((s) => text.includes(s)).map((s) => `${file}: ${s}`));
}

/** A process's argv as `ps` shows it to every user, or null when it has ended. */
export function cmdline(pid: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return null;
  }
}
