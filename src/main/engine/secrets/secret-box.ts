import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SlipwayError } from '../../../shared/errors';
import { createPrivateFile } from '../store/private-files';
import { readStateFile } from '../store/state-file';

/** Encrypts secret values before they are stored; the desktop app backs it with Electron's safeStorage. */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

/** The prefix that marks a sealed value inside a stored spec. */
export const SEALED_PREFIX = 'slipway-sealed:v1:';

export function isSealed(value: string): boolean {
  return value.startsWith(SEALED_PREFIX);
}

/** The key file of `keyFileSecretBox` in a data folder. */
export function secretKeyFile(dir: string): string {
  return path.join(dir, 'secret.key');
}

/** A SecretBox with AES-256-GCM and a random key kept in a 0600 file (the CLI's and the tests' box). */
export async function keyFileSecretBox(dir: string): Promise<SecretBox> {
  return aesGcmBox(await secretKey(dir));
}

/**
 * The data folder's key: read, or made when there is none and nothing is
 * sealed yet. A missing key while the state holds sealed values is refused
 * (SECRET_KEY_MISSING): a new key would silently make every one of them
 * unreadable, and the user would learn it at the next deploy.
 */
async function secretKey(dir: string): Promise<Buffer> {
  const file = secretKeyFile(dir);
  for (;;) {
    const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    if (text !== null) {
      const key = Buffer.from(text.trim(), 'base64');
      if (key.length === 32) return key;
      throw new SlipwayError(
        'SECRET_UNREADABLE',
        `The secrets key file ${file} is damaged: it does not hold a 256-bit key, so no sealed value can be opened. Put the original file back (from a backup of ${dir}).`,
        { keyFile: file },
      );
    }
    const sealed = await sealedValuesIn(dir);
    if (sealed.length > 0) throw keyMissing(dir, file, sealed);
    // Never over a key that appeared meanwhile: the next turn reads whichever key is there.
    await createPrivateFile(file, randomBytes(32).toString('base64'));
  }
}

/** Where the stored state holds values sealed with the key: apps' and deployments' specs, servers' credentials. */
async function sealedValuesIn(dir: string): Promise<string[]> {
  const state = await readStateFile(path.join(dir, 'state.json'));
  if (!state) return [];
  const servers = state.servers.filter((s) =>
    s.auth.type === 'password' ? isSealed(s.auth.password) : s.auth.type === 'key' && isSealed(s.auth.passphrase ?? ''),
  );
  return [
    ...state.apps.filter((a) => a.specYaml.includes(SEALED_PREFIX)).map((a) => `the secrets of app ${a.name}`),
    ...servers.map((s) => `the ${s.auth.type === 'password' ? 'password' : 'key passphrase'} of server ${s.name}`),
    ...(state.deployments.some((d) => d.specYaml.includes(SEALED_PREFIX)) ? ['the secrets of past deployments'] : []),
  ];
}

const keyMissing = (dir: string, file: string, sealed: string[]) =>
  new SlipwayError(
    'SECRET_KEY_MISSING',
    `The secrets key file ${file} is missing, but Slipway's state holds values sealed with it (${sealed.join(', ')}). ` +
      'A new key could open none of them: every one would be lost. Slipway made no new key and changed nothing. ' +
      `Put the original ${path.basename(file)} back in ${dir} (from a backup), then run the command again. ` +
      'If it is lost for good, so are those values: move state.json and state.json.last-good out of the folder, then create the apps and servers again.',
    { keyFile: file, sealed },
  );

/** Seals with AES-256-GCM under the given key. */
export function aesGcmBox(key: Buffer): SecretBox {
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed) {
      if (!isSealed(sealed)) throw new SlipwayError('SECRET_UNREADABLE', 'The value is not a sealed secret.');
      const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        throw new SlipwayError(
          'SECRET_UNREADABLE',
          'A secret value cannot be decrypted with this machine’s key; set it again in the app spec.',
        );
      }
    },
  };
}
