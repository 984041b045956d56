import type { SourceFiles } from './source-files';

export type NodePackageManager = 'npm' | 'pnpm' | 'yarn';

export interface NodePackage {
  manager: NodePackageManager;
  /** The lockfile the manager was chosen by; null for npm without package-lock.json. */
  lockfile: string | null;
  hasDependencies: boolean;
  scripts: Record<string, string>;
  engines: string | null;
  main: string | null;
}

/** What package.json (and the lockfile beside it) says about installing, building and starting; null when there is none. */
export function readNodePackage(files: SourceFiles): NodePackage | null {
  const text = files.read('package.json');
  if (text === null) return null;
  let data: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') data = parsed as Record<string, unknown>;
  } catch {
    // A package.json that is not JSON fails `npm` in the build, which says why better than a plan can.
  }
  const record = (v: unknown): Record<string, string> =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'))
      : {};
  const deps = [data.dependencies, data.devDependencies, data.optionalDependencies];
  const hasDependencies = deps.some((d) => Object.keys(record(d)).length > 0);
  const engines = record(data.engines).node ?? null;
  const main = typeof data.main === 'string' ? data.main : null;
  let manager: NodePackageManager = 'npm';
  let lockfile: string | null = files.exists('package-lock.json') ? 'package-lock.json' : null;
  if (files.exists('pnpm-lock.yaml')) [manager, lockfile] = ['pnpm', 'pnpm-lock.yaml'];
  else if (files.exists('yarn.lock')) [manager, lockfile] = ['yarn', 'yarn.lock'];
  return { manager, lockfile, hasDependencies, scripts: record(data.scripts), engines, main };
}

/** The install command; null when the package has nothing to install. pnpm and yarn come from corepack, which ships with Node. */
export function nodeInstall(pkg: NodePackage): string | null {
  if (!pkg.hasDependencies) return null;
  if (pkg.manager === 'pnpm') return 'corepack enable && pnpm install --frozen-lockfile';
  if (pkg.manager === 'yarn') return 'corepack enable && yarn install --frozen-lockfile';
  return pkg.lockfile ? 'npm ci' : 'npm install';
}

/** How the package's own script is run by its manager. */
export function runScript(pkg: NodePackage, script: string): string {
  return pkg.manager === 'npm' ? `npm run ${script}` : `${pkg.manager} run ${script}`;
}
