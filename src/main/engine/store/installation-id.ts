import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * This installation's id: made once per data folder (a random 16-hex-digit
 * id in `installation-id`, 0600) and put on everything it creates, so that two
 * machines deploying to one server never touch each other's containers.
 */
export async function installationId(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'installation-id');
  const existing = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (/^[0-9a-f]{16}$/.test(existing)) return existing;
  const id = randomBytes(8).toString('hex');
  await writeFile(file, `${id}\n`, { mode: 0o600 });
  return id;
}
