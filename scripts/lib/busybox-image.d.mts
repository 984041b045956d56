import type Docker from 'dockerode';

export const BUSYBOX_IMAGE: string;
export const BUSYBOX_MISSING: string;
/** True for a 64-bit ELF with no PT_INTERP segment. */
export function isStaticElf(binary: Buffer): boolean;
/** The path of the host's static busybox, or null when there is none. */
export function findStaticBusybox(): Promise<string | null>;
/** Builds `busybox:stable` from the host's static busybox unless the tag exists; true when it built. */
export function ensureBusyboxImage(docker: Docker): Promise<boolean>;
