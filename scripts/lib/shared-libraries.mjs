// The shared libraries (and dynamic loader) a program needs, as `ldd` names them.
import { commandOutput } from './host-tools.mjs';

const LIBRARY = /^\s*\S+ => (\/\S+) \(0x[0-9a-f]+\)\s*$/;
const LOADER = /^\s*(\/\S+) \(0x[0-9a-f]+\)\s*$/;
const NOT_FOUND = /^\s*(\S+) => not found\s*$/;

/** Per file: the absolute paths ldd resolved and the names it could not find. ldd prints a `file:` header only for two files or more. */
export function parseLdd(output, files) {
  const result = new Map(files.map((file) => [file, { libraries: [], missing: [] }]));
  let current = files.length === 1 ? result.get(files[0]) : undefined;
  for (const line of output.split('\n')) {
    const header = /^(\S.*):$/.exec(line);
    if (header && result.has(header[1])) {
      current = result.get(header[1]);
      continue;
    }
    if (!current) continue;
    const found = LIBRARY.exec(line) ?? LOADER.exec(line);
    if (found) current.libraries.push(found[1]);
    const missing = NOT_FOUND.exec(line);
    if (missing) current.missing.push(missing[1]);
  }
  return result;
}

/** ldd's answer for each ELF file (one ldd process for all); a static program needs nothing. */
export async function sharedLibraries(files) {
  const result = new Map(files.map((file) => [file, { libraries: [], missing: [] }]));
  if (files.length === 0) return result;
  // ldd exits non-zero when a file is static ("not a dynamic executable"); what it printed still stands.
  const output = await commandOutput('ldd', files, { allowFailure: true });
  for (const [file, needs] of parseLdd(output, files)) result.set(file, needs);
  return result;
}
