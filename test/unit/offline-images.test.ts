import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { passwdFiles, scratchDockerfile, versionTags } from '../../scripts/lib/base-rootfs.mjs';
import { buildOutcome, buildRequest } from '../../scripts/lib/docker-build.mjs';
import { debianCodename, parseVersion } from '../../scripts/lib/host-tools.mjs';
import { addFile, addHostPath, addHostTree, createRootfs, rootfsFingerprint } from '../../scripts/lib/image-rootfs.mjs';
import { demuxLogs } from '../../scripts/lib/offline-image-check.mjs';
import { skipStdlibPath } from '../../scripts/lib/python-image.mjs';
import { parseLdd } from '../../scripts/lib/shared-libraries.mjs';

const scratch: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'slipway-offline-unit-'));
  scratch.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(scratch.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('parseLdd', () => {
  it('reads one file (no header): libraries and the loader, not the vDSO', () => {
    const out = [
      '\tlinux-vdso.so.1 (0x00007f07e33d5000)',
      '\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f07e3000000)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007f07e33d7000)',
    ].join('\n');
    expect(parseLdd(out, ['/usr/bin/node']).get('/usr/bin/node')).toEqual({
      libraries: ['/lib/x86_64-linux-gnu/libstdc++.so.6', '/lib64/ld-linux-x86-64.so.2'],
      missing: [],
    });
  });

  it('splits several files by their headers and names what was not found', () => {
    const out = [
      '/a/_ssl.so:',
      '\tlibssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3 (0x1)',
      '/a/_tkinter.so:',
      '\tlibtk8.6.so => not found',
      '/a/static:',
      '\tnot a dynamic executable',
    ].join('\n');
    const result = parseLdd(out, ['/a/_ssl.so', '/a/_tkinter.so', '/a/static']);
    expect(result.get('/a/_ssl.so')?.libraries).toEqual(['/lib/x86_64-linux-gnu/libssl.so.3']);
    expect(result.get('/a/_tkinter.so')?.missing).toEqual(['libtk8.6.so']);
    expect(result.get('/a/static')).toEqual({ libraries: [], missing: [] });
  });
});

describe('versions and tags', () => {
  it('reads the version each program prints', () => {
    expect(parseVersion('v20.20.2')).toEqual({ full: '20.20.2', minor: '20.20', major: '20' });
    expect(parseVersion('Python 3.11.2')?.minor).toBe('3.11');
    expect(parseVersion('v2.7.6 h1:abc=')?.full).toBe('2.7.6');
    expect(parseVersion('(devel)')).toBeNull();
  });

  it('tags only versions the image holds', () => {
    expect(versionTags('node', { full: '20.20.2', minor: '20.20', major: '20' }, '-bookworm-slim')).toEqual([
      'node:20-bookworm-slim',
      'node:20.20-bookworm-slim',
      'node:20.20.2-bookworm-slim',
    ]);
    expect(versionTags('caddy', { full: '2.6.2', minor: '2.6', major: '2' }, '')).toEqual([
      'caddy:2',
      'caddy:2.6',
      'caddy:2.6.2',
    ]);
  });

  it('names the Debian release from os-release, and none elsewhere', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'debian'), 'ID=debian\nVERSION_CODENAME=bookworm\n');
    await writeFile(path.join(dir, 'alpine'), 'ID=alpine\nVERSION_ID=3.20\n');
    expect(await debianCodename(path.join(dir, 'debian'))).toBe('bookworm');
    expect(await debianCodename(path.join(dir, 'alpine'))).toBeNull();
  });
});

describe('the Dockerfile and files of an offline image', () => {
  it('starts FROM scratch, links busybox applets in exec form, and ends with the command', () => {
    const dockerfile = scratchDockerfile({ env: { NODE_VERSION: '20.20.2' }, cmd: ['node'] });
    expect(dockerfile.split('\n')).toEqual([
      'FROM scratch',
      'COPY rootfs/ /',
      'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
      'ENV NODE_VERSION="20.20.2"',
      'WORKDIR /',
      'CMD ["node"]',
      '',
    ]);
  });

  it('has a node user with uid 1000 as the official image does', () => {
    const { passwd, group } = passwdFiles([{ name: 'node', uid: 1000, home: '/home/node' }]);
    expect(passwd).toContain('node:x:1000:1000:node:/home/node:/bin/sh\n');
    expect(passwd.startsWith('root:x:0:0:')).toBe(true);
    expect(group).toContain('node:x:1000:\n');
  });

  it('leaves test suites, caches and EXTERNALLY-MANAGED out of the standard library, not the modules', () => {
    expect(skipStdlibPath('test', true)).toBe(true);
    expect(skipStdlibPath('json/__pycache__', true)).toBe(true);
    expect(skipStdlibPath('EXTERNALLY-MANAGED', false)).toBe(true);
    expect(skipStdlibPath('config-3.11-x86_64-linux-gnu', true)).toBe(true);
    expect(skipStdlibPath('lib-dynload/_testcapi.cpython-311-x86_64-linux-gnu.so', false)).toBe(true);
    expect(skipStdlibPath('lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so', false)).toBe(false);
    expect(skipStdlibPath('encodings', true)).toBe(false);
    expect(skipStdlibPath('unittest', true)).toBe(false);
  });
});

describe('the image tree', () => {
  it('keeps the symlinks that lead to a file, as the host has them', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'usr/lib'), { recursive: true });
    await writeFile(path.join(dir, 'usr/lib/libx.so.1.2'), 'elf');
    await symlink('usr/lib', path.join(dir, 'lib'));
    await symlink('libx.so.1.2', path.join(dir, 'usr/lib/libx.so.1'));
    const rootfs = createRootfs();
    expect(await addHostPath(rootfs, path.join(dir, 'lib/libx.so.1'))).toBe(path.join(dir, 'usr/lib/libx.so.1.2'));
    const rel = (p: string) => path.join(dir, p).slice(1);
    expect(rootfs.entries.get(rel('lib'))).toEqual({ kind: 'symlink', target: 'usr/lib' });
    expect(rootfs.entries.get(rel('usr/lib/libx.so.1'))).toEqual({ kind: 'symlink', target: 'libx.so.1.2' });
    expect(rootfs.entries.get(rel('usr/lib/libx.so.1.2'))?.kind).toBe('file');
  });

  it('has the same fingerprint for the same files and another once a file changes', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'tree/skipped'), { recursive: true });
    await writeFile(path.join(dir, 'tree/a.py'), 'print(1)');
    await writeFile(path.join(dir, 'tree/skipped/b.py'), 'print(2)');
    const fingerprint = async () => {
      const rootfs = createRootfs();
      await addHostTree(rootfs, path.join(dir, 'tree'), (rel: string) => rel === 'skipped');
      addFile(rootfs, '/etc/passwd', { content: 'root:x:0:0::/root:/bin/sh\n' });
      return { value: await rootfsFingerprint(rootfs, 'FROM scratch'), paths: [...rootfs.entries.keys()] };
    };
    const first = await fingerprint();
    expect(first.paths.some((p) => p.endsWith('skipped'))).toBe(false);
    expect((await fingerprint()).value).toBe(first.value);
    await writeFile(path.join(dir, 'tree/skipped/b.py'), 'print(3)');
    expect((await fingerprint()).value).toBe(first.value);
    await writeFile(path.join(dir, 'tree/a.py'), 'print(4)');
    expect((await fingerprint()).value).not.toBe(first.value);
  });
});

describe('Docker requests', () => {
  it('asks for a tagged, labelled build that leaves no intermediate containers', () => {
    expect(buildRequest('caddy:2', { a: 'b' })).toEqual({ t: 'caddy:2', rm: true, forcerm: true, labels: { a: 'b' } });
  });

  it("returns the built image's id, or the builder's error", () => {
    expect(buildOutcome('x', [{ stream: 'Step 1/2' }, { aux: { ID: 'sha256:abc' } }])).toBe('sha256:abc');
    expect(() => buildOutcome('x', [{ errorDetail: { message: 'no such file' } }])).toThrow(
      /Building x failed: no such file/,
    );
  });

  it('reads the output of a container from its framed log', () => {
    const frame = (stream: number, text: string) => {
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(Buffer.byteLength(text), 4);
      return Buffer.concat([header, Buffer.from(text)]);
    };
    expect(demuxLogs(Buffer.concat([frame(1, 'v20.20.2\n'), frame(2, 'warn\n')]))).toBe('v20.20.2\nwarn\n');
  });
});
