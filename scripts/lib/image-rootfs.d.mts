import type { Dirent } from 'node:fs';

export type RootfsEntry =
  | { kind: 'dir'; mode: number }
  | { kind: 'file'; mode: number; source?: string; content?: string | Buffer }
  | { kind: 'symlink'; target: string };
export interface Rootfs {
  entries: Map<string, RootfsEntry>;
}
/** An empty tree. */
export function createRootfs(): Rootfs;
/** Adds a host path as the host has it (each symlink on the way); returns its real path. */
export function addHostPath(rootfs: Rootfs, hostPath: string): Promise<string>;
/** Adds a host directory and everything under it that `skip` keeps. */
export function addHostTree(
  rootfs: Rootfs,
  hostDir: string,
  skip?: (relativePath: string, dirent: Dirent) => boolean,
): Promise<string>;
/** Adds a file with the given content (or a host file's content under another name). */
export function addFile(
  rootfs: Rootfs,
  dest: string,
  file: { content?: string | Buffer; source?: string; mode?: number },
): void;
/** Adds an empty directory. */
export function addDir(rootfs: Rootfs, dest: string, mode?: number): void;
/** Adds a symlink unless something is already at `dest`. */
export function addLink(rootfs: Rootfs, dest: string, target: string): void;
/** A hash of every path, kind, mode, symlink target and file content, with `extra`. */
export function rootfsFingerprint(rootfs: Rootfs, extra?: string): Promise<string>;
/** Writes the tree into `folder`. */
export function writeRootfs(rootfs: Rootfs, folder: string): Promise<void>;
