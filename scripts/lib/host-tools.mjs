// Finding the machine's own programs and asking them their versions, by argv (never a shell line).
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';

/** The first executable `name` on PATH, or null. */
export async function findOnPath(name, searchPath = process.env.PATH ?? '') {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return null;
}

/** True when `file` exists (after symlinks). */
export async function exists(file) {
  return realpath(file).then(
    () => true,
    () => false,
  );
}

/** A program's standard output (trimmed); its failure throws with what it printed. */
export function commandOutput(file, args, { allowFailure = false } = {}) {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { maxBuffer: 16 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } },
      (err, stdout, stderr) => {
        if (err && (!allowFailure || err.code === 'ENOENT'))
          reject(new Error(`${file} ${args.join(' ')} failed: ${String(stderr).trim() || err.message}`));
        else resolve(String(stdout).trim());
      },
    );
  });
}

/** `1.2.3` from output like `v1.2.3`, `Python 1.2.3` or `v1.2.3 h1:…`, or null. */
export function parseVersion(output) {
  const match = /(?:^|[\sv])v?(\d+)\.(\d+)\.(\d+)/.exec(` ${output}`);
  return match
    ? { full: `${match[1]}.${match[2]}.${match[3]}`, major: match[1], minor: `${match[1]}.${match[2]}` }
    : null;
}

/** The Debian codename of this machine (`bookworm`), or null elsewhere. */
export async function debianCodename(osRelease = '/etc/os-release') {
  const text = await readFile(osRelease, 'utf8').catch(() => '');
  const fields = Object.fromEntries(
    text
      .split('\n')
      .map((line) => /^([A-Z_]+)=(.*)$/.exec(line))
      .filter(Boolean)
      .map((match) => [match[1], match[2].replace(/^"|"$/g, '')]),
  );
  return fields.ID === 'debian' || (fields.ID_LIKE ?? '').split(' ').includes('debian')
    ? (fields.VERSION_CODENAME ?? null)
    : null;
}
