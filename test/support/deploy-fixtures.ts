import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { contract } from '../../src/shared/contract';
import type { Deployment } from '../../src/shared/deployment';
import { FINISHED_PHASES } from '../../src/shared/deployment';
import { createClient, type Client } from '../../src/shared/rpc/client';
import { inProcessTransport } from '../../src/shared/rpc/in-process-transport';
import { createEngine, type Engine } from '../../src/main/engine/engine';

export const HELLO_EXAMPLE = path.resolve(__dirname, '../../examples/hello');

/** A scratch folder removed by `remove()`. */
export async function scratchDir(prefix: string) {
  const dir = await mkdtemp(path.join(tmpdir(), `slipway-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A copy of examples/hello renamed to `name`, so tests can edit it freely. */
export async function helloCopy(parent: string, name: string, version = 'v1'): Promise<string> {
  const dir = path.join(parent, name);
  await cp(HELLO_EXAMPLE, dir, { recursive: true });
  const specPath = path.join(dir, 'app.yaml');
  await writeFile(specPath, (await readFile(specPath, 'utf8')).replace(/^name: hello$/m, `name: ${name}`));
  await setPageVersion(dir, version);
  return dir;
}

export async function setPageVersion(dir: string, version: string): Promise<void> {
  const page = path.join(dir, 'site', 'index.html');
  await writeFile(
    page,
    (await readFile(page, 'utf8')).replace(/<span id="version">[^<]*<\/span>/, `<span id="version">${version}</span>`),
  );
}

/** The edge process the CLI bundle ships; the integration setup builds it. */
export const EDGE_SCRIPT = path.resolve(__dirname, '../../out/cli/edge-daemon.mjs');

/** An engine on its own data folder, with the real edge process, and an in-process client. */
export function engineWithClient(dataDir: string): { engine: Engine; client: Client<typeof contract> } {
  const engine = createEngine({ dataDir, edgeProcess: { script: EDGE_SCRIPT } });
  return { engine, client: createClient(contract, inProcessTransport(engine.router)) };
}

/** Ends the edge process of a data folder by its pid, if a test left one running. */
export async function stopEdgeProcess(dataDir: string): Promise<void> {
  const state = await readFile(path.join(dataDir, 'edge-state.json'), 'utf8').catch(() => null);
  const pid = state ? (JSON.parse(state) as { pid: number }).pid : 0;
  if (!pid) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits, on the engine's events, until a deployment is live or has failed, and returns it. */
export async function waitForDeployment(
  client: Client<typeof contract>,
  app: string,
  id: string,
  timeoutMs = 120_000,
): Promise<Deployment> {
  let settle: (d: Deployment) => void = () => undefined;
  const finished = new Promise<Deployment>((resolve) => (settle = resolve));
  const unsubscribe = await client.apps.events({ app }, (event) => {
    if (event.type === 'deployment' && event.deployment.id === id && FINISHED_PHASES.includes(event.deployment.phase)) {
      settle(event.deployment);
    }
  });
  try {
    // It may have finished before the subscription began.
    const now = await client.apps.getDeployment({ app, deployment: id });
    if (FINISHED_PHASES.includes(now.phase)) return now;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`deployment ${id} not finished after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([finished, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    unsubscribe();
  }
}

/** Deploys and waits for the end. */
export async function deployAndWait(
  client: Client<typeof contract>,
  app: string,
  options: { source?: 'latest' | 'same-revision'; forceRebuild?: boolean; clearCache?: boolean } = {},
): Promise<Deployment> {
  const queued = await client.apps.deploy({ app, ...options });
  return waitForDeployment(client, app, queued.id);
}

/** GETs a URL on loopback; resolves with status and body. */
export function httpGet(url: string, timeoutMs = 5000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Runs git in a folder as a test user, by argv. */
function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Slipway Test', '-c', 'user.email=test@slipway.invalid', ...args], {
    cwd: dir,
    encoding: 'utf8',
  }).trim();
}

/** Makes a git repository from a folder, with one commit; returns the commit. */
export function gitInitAndCommit(dir: string, message: string): string {
  git(dir, 'init', '-q', '-b', 'main');
  return gitCommitAll(dir, message);
}

/** Commits everything in a repository; returns the commit. */
export function gitCommitAll(dir: string, message: string): string {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

/** A folder with a busybox site app: its spec, Dockerfile and page, from the given parts. */
export async function writeSiteApp(
  parent: string,
  options: { name: string; services?: string; page?: string; dockerfile?: string },
): Promise<string> {
  const dir = path.join(parent, options.name);
  await mkdir(path.join(dir, 'site'), { recursive: true });
  await writeFile(path.join(dir, 'site', 'index.html'), options.page ?? `${options.name} v1\n`);
  await writeFile(
    path.join(dir, 'Dockerfile'),
    options.dockerfile ?? 'FROM busybox:stable\nCOPY site/ /www/\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n',
  );
  await writeFile(
    path.join(dir, 'app.yaml'),
    `name: ${options.name}\nservices:\n${
      options.services ??
      [
        '  - name: web',
        '    dockerfile_path: Dockerfile',
        '    http_port: 8080',
        '    health_check:',
        '      http_path: /',
      ].join('\n')
    }\n`,
  );
  return dir;
}

/** Polls until a condition holds, within a bound. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
