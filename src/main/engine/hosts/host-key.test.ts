import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sha256Fingerprint } from './host-key';

const run = promisify(execFile);

describe('sha256Fingerprint', () => {
  it('matches a known vector', () => {
    // The blob is the base64 field of an ed25519 `.pub` line; the expected value is what `ssh-keygen -lf` printed for it.
    const blob = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIGVCo8P/MbvTsiTui8zz0OoVGtoktAZR0+HWy0rycE5h', 'base64');
    expect(sha256Fingerprint(blob)).toBe('SHA256:mFlLT0esobhqhBH1Op5sQNXttGoT63Zf6ZZjLe4ud2g');
  });

  it('matches ssh-keygen -lf for a freshly generated key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slipway-hostkey-'));
    try {
      const keyPath = join(dir, 'key');
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'slipway-test', '-f', keyPath]);
      const pub = await readFile(`${keyPath}.pub`, 'utf8');
      const blob = Buffer.from(pub.trim().split(/\s+/)[1] ?? '', 'base64');
      const { stdout } = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${keyPath}.pub`]);
      const expected = stdout.trim().split(/\s+/)[1];
      expect(expected).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      expect(sha256Fingerprint(blob)).toBe(expected);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
