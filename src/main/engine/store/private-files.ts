import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Creates a folder only its owner can enter (0700), and tightens it if it exists. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') await chmod(dir, 0o700);
}

/** Flushes a folder's entries to the disk, so that a file renamed or linked into it is there after a power cut. */
export async function syncDir(dir: string): Promise<void> {
  // Windows cannot open a folder as a file; NTFS journals its renames.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const asidePath = (file: string) =>
  path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);

/** Writes a new 0600 file beside its destination; removed again if writing fails (a full disk, say). */
async function writeAside(file: string, data: string | Buffer, durable: boolean): Promise<string> {
  const temp = asidePath(file);
  const handle = await open(temp, 'wx', 0o600);
  let written = false;
  try {
    await handle.writeFile(data);
    if (durable) await handle.sync();
    written = true;
  } finally {
    await handle.close();
    if (!written) await rm(temp, { force: true });
  }
  return temp;
}

/**
 * Writes a file readable by its owner only (0600), atomically: a reader sees
 * the old content or the new, never half of it; `durable` also waits for the
 * disk (the file before the rename, its folder after), so the new content
 * survives a power cut at any point.
 */
export async function writePrivateFile(
  file: string,
  data: string | Buffer,
  options = { durable: true },
): Promise<void> {
  const temp = await writeAside(file, data, options.durable);
  try {
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  if (options.durable) await syncDir(path.dirname(file));
}

/**
 * Creates a 0600 file, whole and durably, only if nothing is at its path:
 * false when something is (and is left as it is). For files that must never
 * be replaced, such as a key or a copy kept for the user.
 */
export async function createPrivateFile(file: string, data: string | Buffer): Promise<boolean> {
  const temp = await writeAside(file, data, true);
  try {
    await link(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await rm(temp, { force: true });
  }
  await syncDir(path.dirname(file));
  return true;
}
