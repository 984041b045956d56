import type { BuildPlan } from '../../../../shared/build-plan';
import { DEFAULT_VERSIONS, goImage, newestPresent, nodeImage, pythonImage, type ImageList } from './base-images';
import type { SourceFiles } from './source-files';

export type PlanVersion = NonNullable<BuildPlan['version']>;

function fallback(
  images: ImageList,
  image: (v: string) => string,
  language: keyof typeof DEFAULT_VERSIONS,
  atLeast?: string,
): PlanVersion {
  const present = newestPresent(images, image, atLeast);
  if (present) return { version: present, from: `newest ${image(present)} on the builder` };
  return { version: DEFAULT_VERSIONS[language], from: 'default' };
}

/**
 * The Node major version: `engines.node` (an exact major, `20.x`, `^20`, `~20.1`; `>=18` takes the
 * newest present, at least 18), else `.nvmrc`, else the newest present, else the default.
 */
export function nodeVersion(files: SourceFiles, engines: string | null, images: ImageList): PlanVersion {
  if (engines) {
    const min = /^\s*>=?\s*v?(\d+)/.exec(engines);
    if (min) {
      const present = newestPresent(images, nodeImage, min[1]);
      if (present) return { version: present, from: `package.json engines.node (${engines.trim()})` };
      const major = Math.max(Number(min[1]), Number(DEFAULT_VERSIONS.node));
      return { version: String(major), from: `package.json engines.node (${engines.trim()})` };
    }
    const exact = /^\s*[\^~=v]*\s*(\d+)(?:\.[\dx*]+)*\s*$/.exec(engines);
    if (exact) return { version: exact[1]!, from: 'package.json engines.node' };
  }
  const nvmrc = files.read('.nvmrc')?.trim();
  const nvmMajor = nvmrc ? /^v?(\d+)/.exec(nvmrc) : null;
  if (nvmMajor) return { version: nvmMajor[1]!, from: '.nvmrc' };
  return fallback(images, nodeImage, 'node');
}

/** The Python major.minor: `runtime.txt` (`python-3.11.4`), else `.python-version`, else the newest present, else the default. */
export function pythonVersion(files: SourceFiles, images: ImageList): PlanVersion {
  const runtime = /python-(\d+\.\d+)/.exec(files.read('runtime.txt') ?? '');
  if (runtime) return { version: runtime[1]!, from: 'runtime.txt' };
  const pinned = /^\s*(\d+\.\d+)/.exec(files.read('.python-version') ?? '');
  if (pinned) return { version: pinned[1]!, from: '.python-version' };
  return fallback(images, pythonImage, 'python');
}

/** The Go major.minor from go.mod's `go` line, else the newest present, else the default. */
export function goVersion(goMod: string | null, images: ImageList): PlanVersion {
  const line = /^go\s+(\d+\.\d+)/m.exec(goMod ?? '');
  if (line) return { version: line[1]!, from: 'go.mod go line' };
  return fallback(images, goImage, 'go');
}
