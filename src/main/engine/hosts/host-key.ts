import { createHash } from 'node:crypto';

/** OpenSSH-style fingerprint (`SHA256:<base64, no padding>`) of a raw SSH public key blob, as `ssh-keygen -l` prints it. */
export function sha256Fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}
