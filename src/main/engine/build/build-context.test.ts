import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { extract } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlipwayError } from '../../../shared/errors';
import { createBuildContext, OUTSIDE_DOCKERFILE_NAME, type BuildContextOptions } from './build-context';

interface TarEntry {
  type: string;
  mode: number;
  uid: number;
  gid: number;
  linkname: string | null;
  content: string;
}

async function readTar(stream: NodeJS.ReadableStream): Promise<Map<string, TarEntry>> {
  const entries = new Map<string, TarEntry>();
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, body, next) => {
      const chunks: Buffer[] = [];
      body.on('data', (chunk: unknown) => {
        chunks.push(chunk as Buffer);
      });
      body.on('end', () => {
        entries.set(header.name.replace(/\/$/, ''), {
          type: header.type,
          mode: header.mode & 0o7777,
          uid: header.uid,
          gid: header.gid,
          linkname: header.linkname ?? null,
          content: Buffer.concat(chunks).toString('utf8'),
        });
        next();
      });
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
    stream.on('error', reject);
  });
  stream.pipe(ex as unknown as NodeJS.WritableStream);
  await done;
  return entries;
}

let base: string;
let root: string;

async function put(rel: string, content: string, mode = 0o644): Promise<void> {
  const path = join(root, rel);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  await chmod(path, mode);
}

async function build(options: Partial<BuildContextOptions>) {
  const context = await createBuildContext({
    sourceRoot: root,
    sourceDir: 'app',
    dockerfilePath: 'app/Dockerfile',
    ...options,
  });
  return { ...context, entries: await readTar(context.tar) };
}

async function refusal(options: Partial<BuildContextOptions>): Promise<SlipwayError> {
  try {
    await build(options);
  } catch (err) {
    expect(err).toBeInstanceOf(SlipwayError);
    return err as SlipwayError;
  }
  throw new Error('expected createBuildContext to refuse');
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'slipway-context-'));
  root = join(base, 'repo');
  await put('outside-root/secret.txt', 'do not send');
  await put('app/Dockerfile', 'FROM busybox\n');
  await put(
    'app/.dockerignore',
    '# build output\n*.log\nnode_modules\n!node_modules/keep\nbuild/\nDockerfile\n.dockerignore\n/ignored-dir\n',
  );
  await put('app/index.js', 'console.log(1);\n');
  await put('app/run.sh', '#!/bin/sh\necho hi\n', 0o755);
  await put('app/debug.log', 'noise');
  await put('app/lib/util.js', 'export {};\n');
  await put('app/lib/trace.log', 'noise');
  await put('app/node_modules/drop/index.js', 'dropped');
  await put('app/node_modules/keep/index.js', 'kept');
  await put('app/build/Dockerfile.prod', 'FROM busybox AS prod\n');
  await put('app/build/artifact.bin', 'binary');
  await put('app/ignored-dir/x', 'x');
  await mkdir(join(root, 'app/empty'));
  await symlink('index.js', join(root, 'app/link-inside'));
  await symlink(join(base, 'outside-root/secret.txt'), join(root, 'app/link-outside'));
  await symlink('../outside-root', join(root, 'app/link-dir'));
  await put('docker/Dockerfile.shared', 'FROM busybox AS shared\n');
  await symlink('../docker/Dockerfile.shared', join(root, 'app/Dockerfile.link'));
  await symlink('../outside-root', join(root, 'escape'));
  await symlink('../outside-root/secret.txt', join(root, 'Dockerfile.escape'));
  // outside-root lives inside `repo` only in name; move it out so it is a real escape.
  await rm(join(root, 'outside-root'), { recursive: true });
  await mkdir(join(base, 'outside-root'));
  await writeFile(join(base, 'outside-root/secret.txt'), 'do not send');
  await put('bad/.dockerignore', '[\n');
  await put('bad/Dockerfile', 'FROM busybox\n');
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('createBuildContext', () => {
  it('packs the context honouring .dockerignore, as docker build does', async () => {
    const { entries, dockerfile, files, bytes } = await build({});
    expect(dockerfile).toBe('Dockerfile');
    expect([...entries.keys()].sort()).toEqual(
      [
        '.dockerignore',
        'Dockerfile',
        'Dockerfile.link',
        'empty',
        'index.js',
        'lib',
        // `*.log` is anchored at the context root in Docker, unlike .gitignore.
        'lib/trace.log',
        'lib/util.js',
        'link-dir',
        'link-inside',
        'link-outside',
        'node_modules',
        'node_modules/keep',
        'node_modules/keep/index.js',
        'run.sh',
      ].sort(),
    );
    expect(entries.get('Dockerfile')?.content).toBe('FROM busybox\n');
    expect(entries.get('node_modules/keep/index.js')?.content).toBe('kept');
    expect(entries.get('lib')?.type).toBe('directory');
    expect(entries.get('empty')?.type).toBe('directory');

    const regular = [...entries.values()].filter((e) => e.type === 'file' || e.type === 'symlink');
    expect(files).toBe(regular.length);
    expect(bytes).toBe(regular.reduce((sum, e) => sum + Buffer.byteLength(e.content), 0));
  });

  it('keeps modes and stores uid/gid 0', async () => {
    const { entries } = await build({});
    expect(entries.get('run.sh')?.mode).toBe(0o755);
    expect(entries.get('index.js')?.mode).toBe(0o644);
    for (const entry of entries.values()) {
      expect(entry.uid).toBe(0);
      expect(entry.gid).toBe(0);
    }
  });

  it('stores symlinks as symlinks and never follows them out of the source folder', async () => {
    const { entries } = await build({});
    expect(entries.get('link-inside')).toMatchObject({ type: 'symlink', linkname: 'index.js', content: '' });
    expect(entries.get('link-outside')).toMatchObject({ type: 'symlink', content: '' });
    expect(entries.get('link-dir')).toMatchObject({ type: 'symlink', linkname: '../outside-root' });
    expect([...entries.values()].some((e) => e.content.includes('do not send'))).toBe(false);
  });

  it('sends a Dockerfile that .dockerignore excludes, even inside an excluded directory', async () => {
    const { entries, dockerfile } = await build({ dockerfilePath: 'app/build/Dockerfile.prod' });
    expect(dockerfile).toBe('build/Dockerfile.prod');
    expect(entries.get('build/Dockerfile.prod')?.content).toBe('FROM busybox AS prod\n');
    expect(entries.get('build')?.type).toBe('directory');
    expect(entries.has('build/artifact.bin')).toBe(false);
    // Only the Dockerfile being built is exempt; the other one is ignored as listed.
    expect(entries.has('Dockerfile')).toBe(false);
  });

  it('adds a Dockerfile from outside the context as .slipway/Dockerfile', async () => {
    const { entries, dockerfile, files } = await build({ dockerfilePath: 'docker/Dockerfile.shared' });
    expect(dockerfile).toBe(OUTSIDE_DOCKERFILE_NAME);
    expect(entries.get(OUTSIDE_DOCKERFILE_NAME)).toMatchObject({ type: 'file', uid: 0, gid: 0 });
    expect(entries.get(OUTSIDE_DOCKERFILE_NAME)?.content).toBe('FROM busybox AS shared\n');
    expect(files).toBe([...entries.values()].filter((e) => e.type !== 'directory').length);
  });

  it('follows a Dockerfile symlink to where it really is', async () => {
    const { entries, dockerfile } = await build({ dockerfilePath: 'app/Dockerfile.link' });
    expect(dockerfile).toBe(OUTSIDE_DOCKERFILE_NAME);
    expect(entries.get(OUTSIDE_DOCKERFILE_NAME)?.content).toBe('FROM busybox AS shared\n');
  });

  it('accepts DigitalOcean-style paths with a leading slash, and the whole folder as context', async () => {
    const { entries, dockerfile } = await build({ sourceDir: '/', dockerfilePath: '/app/Dockerfile' });
    expect(dockerfile).toBe('app/Dockerfile');
    expect(entries.has('app/index.js')).toBe(true);
    expect(entries.has('docker/Dockerfile.shared')).toBe(true);
    // The context's own .dockerignore is at the root here, and there is none.
    expect(entries.has('app/debug.log')).toBe(true);
    expect(entries.get('escape')?.type).toBe('symlink');
  });

  it('refuses a context that leaves the source folder', async () => {
    const dotdot = await refusal({ sourceDir: '../outside-root' });
    expect(dotdot.code).toBe('BUILD_CONTEXT_INVALID');
    expect(dotdot.message).toContain('../outside-root');
    const viaSymlink = await refusal({ sourceDir: 'escape' });
    expect(viaSymlink.code).toBe('BUILD_CONTEXT_INVALID');
    expect(viaSymlink.message).toContain('escape');
  });

  it('refuses a Dockerfile that leaves the source folder', async () => {
    const dotdot = await refusal({ dockerfilePath: '../outside-root/secret.txt' });
    expect(dotdot.code).toBe('BUILD_CONTEXT_INVALID');
    const viaSymlink = await refusal({ dockerfilePath: 'Dockerfile.escape' });
    expect(viaSymlink.code).toBe('BUILD_CONTEXT_INVALID');
    expect(viaSymlink.message).toContain('Dockerfile.escape');
    const viaDir = await refusal({ dockerfilePath: 'escape/secret.txt' });
    expect(viaDir.code).toBe('BUILD_CONTEXT_INVALID');
  });

  it('reports a missing context or Dockerfile by its path', async () => {
    const noDir = await refusal({ sourceDir: 'services/api' });
    expect(noDir.code).toBe('SOURCE_NOT_FOUND');
    expect(noDir.message).toContain('services/api');
    const noFile = await refusal({ dockerfilePath: 'app/Dockerfile.missing' });
    expect(noFile.code).toBe('SOURCE_NOT_FOUND');
    expect(noFile.message).toBe('no Dockerfile at app/Dockerfile.missing');
    const notFile = await refusal({ dockerfilePath: 'app/lib' });
    expect(notFile.code).toBe('BUILD_CONTEXT_INVALID');
  });

  it('refuses a .dockerignore Docker would refuse', async () => {
    const bad = await refusal({ sourceDir: 'bad', dockerfilePath: 'bad/Dockerfile' });
    expect(bad.code).toBe('BUILD_CONTEXT_INVALID');
    expect(bad.message).toContain('.dockerignore');
  });
});
