import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** What a build plan may look at in a component's source: small text files and folder listings, by path relative to the source root. */
export interface SourceFiles {
  exists(path: string): boolean;
  /** A file's text, at most {@link MAX_PLAN_FILE_BYTES}; null when it is missing, a folder or too large. */
  read(path: string): string | null;
  /** The names in a folder ('' for the root); empty when it is missing. */
  list(dir: string): string[];
}

// Manifests and lockfile checks only: a file this big is not something a plan needs to read.
export const MAX_PLAN_FILE_BYTES = 256 * 1024;

/** `path` under `dir`, posix, without leading `/` or `./` (as DigitalOcean's source_dir is written). */
export function joinPath(dir: string, path: string): string {
  return [...dir.split('/'), ...path.split('/')].filter((p) => p !== '' && p !== '.').join('/');
}

/** The same files seen from a folder inside them: a component's source_dir. */
export function within(files: SourceFiles, dir: string): SourceFiles {
  return {
    exists: (path) => files.exists(joinPath(dir, path)),
    read: (path) => files.read(joinPath(dir, path)),
    list: (path) => files.list(joinPath(dir, path)),
  };
}

/** A folder on this machine as SourceFiles; nothing outside it is read, symlinks included. */
export function folderSourceFiles(root: string): SourceFiles {
  const rootReal = realpathSync(resolve(root));
  const inside = (path: string): string | null => {
    try {
      const real = realpathSync(join(rootReal, joinPath('', path)));
      const rel = relative(rootReal, real);
      return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)) ? real : null;
    } catch {
      return null;
    }
  };
  return {
    exists: (path) => inside(path) !== null,
    read: (path) => {
      const real = inside(path);
      if (!real) return null;
      const info = statSync(real);
      if (!info.isFile() || info.size > MAX_PLAN_FILE_BYTES) return null;
      return readFileSync(real, 'utf8');
    },
    list: (dir) => {
      const real = inside(dir);
      if (!real || !statSync(real).isDirectory()) return [];
      return readdirSync(real).sort();
    },
  };
}

/** SourceFiles over an in-memory map of path → text (folders implied by the paths); for tests and previews. */
export function memorySourceFiles(files: Record<string, string>): SourceFiles {
  const paths = Object.keys(files).map((p) => joinPath('', p));
  const norm: Record<string, string> = {};
  for (const [p, text] of Object.entries(files)) norm[joinPath('', p)] = text;
  const isDir = (dir: string) => dir === '' || paths.some((p) => p.startsWith(`${dir}/`));
  return {
    exists: (path) => joinPath('', path) in norm || isDir(joinPath('', path)),
    read: (path) => norm[joinPath('', path)] ?? null,
    list: (dir) => {
      const d = joinPath('', dir);
      if (!isDir(d)) return [];
      const names = new Set<string>();
      for (const p of paths) {
        if (d === '' || p.startsWith(`${d}/`)) names.add((d === '' ? p : p.slice(d.length + 1)).split('/')[0]!);
      }
      return [...names].sort();
    },
  };
}
