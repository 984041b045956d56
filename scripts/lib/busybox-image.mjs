// busybox:stable from the host's static busybox, for machines with no registry. Shared by the
// test setups (through test/support/busybox-image.ts) and `npm run offline-images`.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildImageFromFolder, inspectImage } from './docker-build.mjs';

export const BUSYBOX_IMAGE = 'busybox:stable';

// Debian's busybox-static; /bin is the same file on a merged-/usr system.
const BUSYBOX_CANDIDATES = ['/usr/bin/busybox', '/bin/busybox'];

// Exec-form RUN: the image has no shell until busybox has installed its applets.
const DOCKERFILE = [
  'FROM scratch',
  'COPY busybox /bin/busybox',
  'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
  'RUN ["/bin/busybox", "mkdir", "-p", "/tmp", "/www"]',
  'RUN ["/bin/busybox", "chmod", "1777", "/tmp"]',
  'CMD ["/bin/sh"]',
  '',
].join('\n');

/** True for a 64-bit ELF with no PT_INTERP segment: it runs with no dynamic loader, as FROM scratch needs. */
export function isStaticElf(binary) {
  if (binary.length < 64 || binary.readUInt32BE(0) !== 0x7f454c46 || binary[4] !== 2) return false;
  const phoff = Number(binary.readBigUInt64LE(0x20));
  const phentsize = binary.readUInt16LE(0x36);
  const phnum = binary.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    if (binary.readUInt32LE(phoff + i * phentsize) === 3) return false;
  }
  return true;
}

/** The path of the host's static busybox, or null when there is none. */
export async function findStaticBusybox() {
  for (const candidate of BUSYBOX_CANDIDATES) {
    const binary = await readFile(candidate).catch(() => undefined);
    if (binary && isStaticElf(binary)) return candidate;
  }
  return null;
}

/** What to tell a user whose machine has no static busybox. */
export const BUSYBOX_MISSING = `No static busybox at ${BUSYBOX_CANDIDATES.join(' or ')}: install Debian's busybox-static`;

/** Builds `busybox:stable` on this engine from the host's static busybox, unless the tag already exists; true when it built. */
export async function ensureBusyboxImage(docker) {
  if (await inspectImage(docker, BUSYBOX_IMAGE)) return false;
  const busybox = await findStaticBusybox();
  if (!busybox) throw new Error(BUSYBOX_MISSING);
  const context = await mkdtemp(path.join(tmpdir(), 'slipway-busybox-'));
  try {
    await writeFile(path.join(context, 'Dockerfile'), DOCKERFILE);
    await writeFile(path.join(context, 'busybox'), await readFile(busybox), { mode: 0o755 });
    await buildImageFromFolder(docker, context, BUSYBOX_IMAGE);
    return true;
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}
