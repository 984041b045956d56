export interface Version {
  full: string;
  minor: string;
  major: string;
}
/** The first executable `name` on PATH, or null. */
export function findOnPath(name: string, searchPath?: string): Promise<string | null>;
/** True when `file` exists (after symlinks). */
export function exists(file: string): Promise<boolean>;
/** A program's standard output (trimmed). */
export function commandOutput(file: string, args: string[], options?: { allowFailure?: boolean }): Promise<string>;
/** `1.2.3` from output like `v1.2.3` or `Python 1.2.3`, or null. */
export function parseVersion(output: string): Version | null;
/** The Debian codename of this machine, or null elsewhere. */
export function debianCodename(osRelease?: string): Promise<string | null>;
