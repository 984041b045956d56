import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type Docker from 'dockerode';

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

/** A FROM scratch image only runs a binary that needs no dynamic loader (no PT_INTERP segment). */
function isStaticElf(binary: Buffer): boolean {
  if (binary.length < 64 || binary.readUInt32BE(0) !== 0x7f454c46 || binary[4] !== 2) return false;
  const phoff = Number(binary.readBigUInt64LE(0x20));
  const phentsize = binary.readUInt16LE(0x36);
  const phnum = binary.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    if (binary.readUInt32LE(phoff + i * phentsize) === 3) return false;
  }
  return true;
}

async function readStaticBusybox(): Promise<Buffer> {
  for (const path of BUSYBOX_CANDIDATES) {
    const binary = await readFile(path).catch(() => undefined);
    if (binary && isStaticElf(binary)) return binary;
  }
  throw new Error(`No static busybox at ${BUSYBOX_CANDIDATES.join(' or ')}: install Debian's busybox-static`);
}

function tarHeader(name: string, size: number, mode: number): Buffer {
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string): void => {
    header.write(value, offset, length, 'ascii');
  };
  const octal = (value: number, length: number): string => value.toString(8).padStart(length - 1, '0');
  field(0, 100, name);
  field(100, 8, octal(mode, 8));
  field(108, 8, octal(0, 8));
  field(116, 8, octal(0, 8));
  field(124, 12, octal(size, 12));
  field(136, 12, octal(Math.floor(Date.now() / 1000), 12));
  field(148, 8, '        ');
  field(156, 1, '0');
  field(257, 6, 'ustar');
  field(263, 2, '00');
  let checksum = 0;
  for (const byte of header) checksum += byte;
  field(148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
  return header;
}

/** A tar archive of regular files, enough for a build context. */
function tarball(files: { name: string; data: Buffer; mode: number }[]): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    parts.push(tarHeader(file.name, file.data.length, file.mode), file.data);
    const padding = (512 - (file.data.length % 512)) % 512;
    if (padding) parts.push(Buffer.alloc(padding));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

async function imageExists(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getImage(name).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}

/** Builds `busybox:stable` on this engine from the host's static busybox, unless the tag already exists. */
export async function ensureBusyboxImage(docker: Docker): Promise<void> {
  if (await imageExists(docker, BUSYBOX_IMAGE)) return;
  const context = tarball([
    { name: 'Dockerfile', data: Buffer.from(DOCKERFILE), mode: 0o644 },
    { name: 'busybox', data: await readStaticBusybox(), mode: 0o755 },
  ]);
  const stream = await docker.buildImage(Readable.from([context]), { t: BUSYBOX_IMAGE, rm: true, forcerm: true });
  // A failed build still answers 200: the error is only in the progress messages.
  const messages = await new Promise<{ error?: string; errorDetail?: { message?: string } }[]>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, output: { error?: string }[]) =>
      err ? reject(err) : resolve(output),
    );
  });
  const failure = messages.find((message) => message.error || message.errorDetail);
  if (failure) throw new Error(`Building ${BUSYBOX_IMAGE} failed: ${failure.error ?? failure.errorDetail?.message}`);
}
