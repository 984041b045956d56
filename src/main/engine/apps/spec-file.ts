import type { Stats } from 'node:fs';
import { constants, open } from 'node:fs/promises';
import { SlipwayError } from '../../../shared/errors';
import type { SpecProblem } from '../../../shared/spec/app-spec';
import { decodeSpecBytes, MAX_SPEC_BYTES } from '../../../shared/spec/spec-bytes';

const badSpecPath = (issue: string, message: string) =>
  new SlipwayError('INVALID_REQUEST', `specPath: ${message}.`, { issues: [{ path: 'specPath', message: issue }] });

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a named pipe';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return info.isDirectory() ? 'a folder' : 'not a file';
}

/**
 * A spec file's text, checked before it is read: a regular file within
 * MAX_SPEC_BYTES, in UTF-8. It is opened without blocking (a FIFO would wait
 * for a writer forever) and checked on the open file, so it cannot change
 * between the check and the read.
 */
export async function readSpecFile(file: string): Promise<string> {
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
  const handle = await open(file, flags).catch((err: NodeJS.ErrnoException) => {
    throw badSpecPath(`cannot read ${file}`, `cannot read ${file} (${err.code ?? err.message})`);
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw badSpecPath(
        'not a regular file',
        `${file} is not a regular file (${kindOf(info)}); give the spec file or its app folder`,
      );
    }
    const tooLarge = (size: number) =>
      badSpecPath('too large', `${file} is ${size} bytes; a spec is at most ${MAX_SPEC_BYTES} bytes (1 MiB)`);
    if (info.size > MAX_SPEC_BYTES) throw tooLarge(info.size);
    // One byte over the bound at most: a file that grows meanwhile, or one the OS gives no size for (/proc), stays bounded.
    const buffer = Buffer.alloc(MAX_SPEC_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      length += bytesRead;
      if (bytesRead === 0 || length === buffer.length) break;
    }
    if (length > MAX_SPEC_BYTES) throw tooLarge(length);
    const decoded = decodeSpecBytes(buffer.subarray(0, length));
    if (!decoded.ok) throw specInvalid([{ path: '(spec)', message: decoded.message }], []);
    return decoded.text;
  } finally {
    await handle.close();
  }
}

/** SPEC_INVALID with every error, each named by its field. */
export function specInvalid(errors: SpecProblem[], warnings: SpecProblem[]): SlipwayError {
  const summary = errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('\n');
  return new SlipwayError('SPEC_INVALID', `The app spec has ${errors.length} error(s):\n${summary}`, {
    errors,
    warnings,
  });
}
