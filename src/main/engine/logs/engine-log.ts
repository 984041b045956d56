import { appendFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { ensurePrivateDir } from '../store/private-files';
import type { Redactor } from './redactor';

/** Past this size the log starts again; the previous one is kept as `engine.log.1`. */
const MAX_BYTES = 1024 * 1024;

/** The file of the engine's own log in a data folder. */
export function engineLogFile(dataDir: string): string {
  return path.join(dataDir, 'engine.log');
}

/**
 * The engine's own log: errors it did not expect, which callers see only as
 * INTERNAL. One JSON line each, in a 0600 file, every secret value hidden.
 */
export class EngineLog {
  constructor(
    private readonly file: string,
    private readonly maxBytes = MAX_BYTES,
  ) {}

  /** Records an unexpected error thrown while answering `method`. */
  async unexpected(method: string, err: unknown, redact: Redactor): Promise<void> {
    const e = (err ?? {}) as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown };
    const entry = {
      at: new Date().toISOString(),
      method,
      name: typeof e.name === 'string' ? e.name : typeof err,
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
      message: redact(typeof e.message === 'string' ? e.message : String(err)),
      ...(typeof e.stack === 'string' ? { stack: redact(e.stack) } : {}),
    };
    await ensurePrivateDir(path.dirname(this.file));
    const size = await stat(this.file).then(
      (s) => s.size,
      () => 0,
    );
    if (size > this.maxBytes) await rename(this.file, `${this.file}.1`);
    await appendFile(this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  }
}
