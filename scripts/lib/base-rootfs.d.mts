import type { Rootfs } from './image-rootfs.mjs';
import type { Version } from './host-tools.mjs';

export interface ImageUser {
  name: string;
  uid: number;
  home: string;
  group?: string;
}
/** /etc/passwd and /etc/group lines for the users, root and nobody included. */
export function passwdFiles(users: ImageUser[]): { passwd: string; group: string };
/** A tree with busybox, users, /tmp and CA certificates; `notes` says what is missing. */
export function baseRootfs(options: {
  busybox: string;
  users?: ImageUser[];
}): Promise<{ rootfs: Rootfs; notes: string[] }>;
/** Adds the programs and every library ldd names for them; returns what ldd could not find, per file. */
export function addWithLibraries(rootfs: Rootfs, files: string[]): Promise<Map<string, string[]>>;
/** A FROM scratch Dockerfile over the `rootfs/` folder. */
export function scratchDockerfile(options: {
  env?: Record<string, string>;
  workdir?: string;
  expose?: string[];
  cmd: string[];
  runs?: string[][];
}): string;
/** The image tags for a version: `major`, `major.minor`, `full`, each with the suffix. */
export function versionTags(repository: string, version: Version, suffix: string): string[];
