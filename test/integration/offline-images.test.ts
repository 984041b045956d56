import { execFile } from 'node:child_process';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { removeSlipwayResources } from '../support/cleanup';

const REPO = path.resolve(__dirname, '../..');
const APP = 'offline-images-test';
const docker = new Docker();

interface Run {
  code: number;
  out: string;
  err: string;
}

function run(file: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: REPO, maxBuffer: 8 * 1024 * 1024 }, (err, out, errOut) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, out: String(out).trim(), err: String(errOut).trim() });
    });
  });
}

/** `npm run offline-images` as a user runs it: its own process, from the repository. */
const offlineImages = (args: string[] = []) => run(process.execPath, ['scripts/offline-images.mjs', ...args]);

async function host(file: string, args: string[]): Promise<string> {
  const answer = await run(file, args);
  expect(answer.code, answer.err).toBe(0);
  return answer.out;
}

/** What `cmd` prints in a fresh container of `image` (labelled, so cleanup finds it even after a failure). */
async function inImage(image: string, cmd: string[]): Promise<string> {
  const container = await docker.createContainer({
    Image: image,
    Cmd: cmd,
    Tty: true,
    Labels: { 'dev.slipway.managed': 'true', 'dev.slipway.app': APP },
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const output = String(await container.logs({ stdout: true, stderr: true, follow: false })).trim();
    expect(StatusCode, `${image}: ${cmd.join(' ')} printed ${output}`).toBe(0);
    return output.replace(/\r/g, '');
  } finally {
    await container.remove({ force: true });
  }
}

async function imageIds(tags: string[]): Promise<string[]> {
  return Promise.all(tags.map(async (tag) => (await docker.getImage(tag).inspect()).Id));
}

afterAll(async () => {
  await removeSlipwayResources(docker, { app: APP });
});

describe('npm run offline-images', () => {
  let tags: string[] = [];

  it("builds node, python, caddy, postgres and redis images holding this machine's own versions, and checks them", async () => {
    const nodeVersion = await host('node', ['--version']);
    const npmVersion = await host('npm', ['--version']);
    const pythonVersion = await host('/usr/bin/python3', ['--version']);
    const caddyVersion = await host('caddy', ['version']);
    const nodeImage = `node:${/^v(\d+)\./.exec(nodeVersion)?.[1]}-bookworm-slim`;
    const pythonImage = `python:${/^Python (\d+\.\d+)\./.exec(pythonVersion)?.[1]}-slim-bookworm`;
    tags = [nodeImage, pythonImage, 'caddy:2', 'postgres:15', 'redis:7', 'busybox:stable'];

    const built = await offlineImages(['--check']);
    expect(built.code, `${built.out}\n${built.err}`).toBe(0);
    for (const tag of tags)
      expect(built.out).toMatch(new RegExp(`^${tag.replace(/[.:]/g, '\\$&')}\\s+(built|up to date).*checked`, 'm'));

    expect(await inImage(nodeImage, ['node', '--version'])).toBe(nodeVersion);
    expect(await inImage(nodeImage, ['npm', '--version'])).toBe(npmVersion);
    expect(await inImage(nodeImage, ['sh', '-c', 'id -u node; ls -ld /tmp'])).toMatch(/^1000\ndrwxrwxrwt/);
    expect(await inImage(pythonImage, ['python3', '--version'])).toBe(pythonVersion);
    expect(await inImage(pythonImage, ['python', '-c', 'import http.server, json, ssl; print("imports")'])).toBe(
      'imports',
    );
    expect(await inImage('caddy:2', ['caddy', 'version'])).toBe(caddyVersion);
    const postgresVersion = await host('/usr/lib/postgresql/15/bin/postgres', ['--version']);
    expect(await inImage('postgres:15', ['postgres', '--version'])).toBe(postgresVersion);
    expect(await inImage('redis:7', ['redis-server', '--version'])).toBe(await host('redis-server', ['--version']));
    // Every version tag names a version the image holds, and points at the same image.
    const full = nodeVersion.slice(1);
    expect(await imageIds([`node:${full}-bookworm-slim`])).toEqual(await imageIds([nodeImage]));
    const description = (await docker.getImage(nodeImage).inspect()).Config.Labels[
      'org.opencontainers.image.description'
    ];
    expect(description).toContain(`node ${full}`);
  });

  it('changes nothing when run again, and answers quickly', async () => {
    expect(tags.length).toBeGreaterThan(0);
    const before = await imageIds(tags);
    const started = Date.now();
    const again = await offlineImages();
    const elapsed = Date.now() - started;
    expect(again.code, `${again.out}\n${again.err}`).toBe(0);
    expect(again.out).not.toMatch(/\bbuilt\b|Building/);
    expect(again.out.match(/up to date/g)?.length).toBe(tags.length);
    expect(await imageIds(tags)).toEqual(before);
    expect(elapsed).toBeLessThan(10_000);
  });
});
