import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SlipwayError } from '../../../shared/errors';
import { writePrivateFile } from '../store/private-files';

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
  const file = secretKeyFile(dir);
  let key: Buffer;
  try {
    key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    key = randomBytes(32);
    await writePrivateFile(file, key.toString('base64'));
  }
  if (key.length !== 32) throw new SlipwayError('INTERNAL', `The key in ${file} is not a 256-bit key.`);
  return aesGcmBox(key);
}

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
