import type { Rootfs } from './image-rootfs.mjs';

export const ENTRYPOINT: string;
/** Adds the entrypoint script to the tree. */
export function addEntrypoint(rootfs: Rootfs, script: string): void;
/** The scratch Dockerfile with VOLUME, STOPSIGNAL and ENTRYPOINT before its CMD. */
export function withEntrypoint(dockerfile: string, options?: { volumes?: string[]; stopSignal?: string }): string;
