import { describe, expect, it } from 'vitest';
import { contract } from '../shared/contract';
import type { Deployment, LogLine } from '../shared/deployment';
import { SlipwayError } from '../shared/errors';
import { createRouter } from '../shared/rpc/router';
import { inProcessAccess, type EngineAccess } from './engine-access';
import { runCli } from './main';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

/** An engine whose `system.info` answers from a fixed value or throws, so only the CLI is under test. */
function fakeEngine(info: () => Promise<never> | Promise<object>, apps: object = {}): EngineAccess {
  // Only the system domain (and what a test adds) is under test here.
  return inProcessAccess(
    createRouter(contract, {
      system: {
        info: info as never,
        containerEvents: () => () => undefined,
      },
      apps,
    } as never),
  );
}

const INFO = {
  slipwayVersion: '0.1.0',
  docker: {
    endpoint: 'unix:///var/run/docker.sock',
    version: '20.10.24',
    apiVersion: '1.41',
    os: 'linux',
    arch: 'amd64',
  },
};

describe('slipway CLI', () => {
  it('prints system info as a table', async () => {
    const { io, out } = capture();
    expect(
      await runCli(
        ['system', 'info'],
        io,
        fakeEngine(async () => INFO),
      ),
    ).toBe(0);
    expect(out.join('\n')).toMatch(
      /Slipway\s+Docker\s+API\s+OS\/Arch\s+Endpoint\n0\.1\.0\s+20\.10\.24\s+1\.41\s+linux\/amd64/,
    );
  });

  it('prints system info as JSON with --output json', async () => {
    const { io, out } = capture();
    expect(
      await runCli(
        ['system', 'info', '--output', 'json'],
        io,
        fakeEngine(async () => INFO),
      ),
    ).toBe(0);
    expect(JSON.parse(out.join(''))).toEqual(INFO);
  });

  it('exits 1 with the error code when the engine is unreachable', async () => {
    const { io, err } = capture();
    const unreachable = fakeEngine(async () => {
      throw new SlipwayError('DOCKER_UNREACHABLE', 'The Docker engine at unix:///x does not answer (ENOENT).');
    });
    expect(await runCli(['system', 'info'], io, unreachable)).toBe(1);
    expect(err.join('')).toBe('Error [DOCKER_UNREACHABLE]: The Docker engine at unix:///x does not answer (ENOENT).');
  });

  it('exits 2 on an unknown command or a bad flag, with usage', async () => {
    const unknown = capture();
    expect(
      await runCli(
        ['apps', 'frobnicate'],
        unknown.io,
        fakeEngine(async () => INFO),
      ),
    ).toBe(2);
    expect(unknown.err.join('')).toContain('unknown command "apps frobnicate"');
    const badOutput = capture();
    expect(
      await runCli(
        ['system', 'info', '-o', 'yaml'],
        badOutput.io,
        fakeEngine(async () => INFO),
      ),
    ).toBe(2);
    expect(badOutput.err.join('')).toContain('--output must be "text" or "json"');
  });

  it('takes the global flags anywhere on the line', async () => {
    const apps = { list: async () => [] };
    for (const argv of [
      ['-o', 'json', 'apps', 'list'],
      ['apps', '-o', 'json', 'list'],
      ['apps', 'list', '-o', 'json'],
      ['--output=json', 'apps', 'list'],
    ]) {
      const { io, out } = capture();
      expect(
        await runCli(
          argv,
          io,
          fakeEngine(async () => INFO, apps),
        ),
        argv.join(' '),
      ).toBe(0);
      expect(JSON.parse(out.join('')), argv.join(' ')).toEqual([]);
    }
  });

  it('says the engine was lost when its connection ends mid-command, and exits 1', async () => {
    const { io, err } = capture();
    let drop: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => (drop = resolve));
    const access: EngineAccess = {
      ...fakeEngine(async () => INFO),
      connect: async () => ({
        // The call never answers: the engine went away while it ran.
        transport: { call: () => new Promise(() => undefined), subscribe: () => new Promise(() => undefined) },
        engine: { pid: 4242, version: '0.1.0' },
        closed,
        close: () => undefined,
      }),
    };
    const run = runCli(['system', 'info'], io, access);
    await Promise.resolve();
    drop();
    expect(await run).toBe(1);
    expect(err.join('')).toMatch(/^Error \[ENGINE_LOST\]: Lost the connection to the Slipway engine \(pid 4242\)/);
  });
});

/** What a hostile build step prints: a clipboard write, a title change, a screen clear, a coloured word. */
const HOSTILE = '\x1b]52;c;cm0gLXJmIH4=\x07\x1b]0;pwned\x07\x1b[2J\x1b[1A\x9b2K\x1b[31mred\x1b[0m done';
const SHOWN = '^[]52;c;cm0gLXJmIH4=^G^[]0;pwned^G^[[2J^[[1A\\x9b2K\x1b[31mred\x1b[0m done';
// eslint-disable-next-line no-control-regex -- what must not reach a terminal (SGR aside)
const BARE_CONTROL = /\x1b(?!\[[0-9;]*m)|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f]/;

const hostileLine: LogLine = {
  time: '2026-11-22T10:00:00.000Z',
  type: 'build',
  component: 'web',
  line: HOSTILE,
  seq: 1,
};

function failedDeployment(): Deployment {
  const deployment: Deployment = {
    id: 'shop000001',
    app: 'shop',
    plan: { type: 'build', revision: null },
    cause: 'manual',
    phase: 'ERROR',
    specYaml: '',
    sourceRevision: null,
    images: {},
    containers: {},
    endpoints: [],
    progress: [{ name: 'build', title: 'Build web', status: 'ERROR', reason: HOSTILE }],
    options: { forceRebuild: false, clearCache: false },
    createdAt: '2026-11-22T10:00:00.000Z',
    updatedAt: '2026-11-22T10:00:01.000Z',
    finishedAt: '2026-11-22T10:00:01.000Z',
    error: { code: 'BUILD_FAILED', message: `The build failed: ${HOSTILE}`, lastLogLines: [HOSTILE] },
  };
  return deployment;
}

const hostileApps = {
  readLogs: async () => [hostileLine],
  getDeployment: async () => failedDeployment(),
  events: (_params: unknown, emit: (event: unknown) => void) => {
    hostileApps.emit = emit;
    return () => undefined;
  },
  deploy: async () => {
    // The deployment ends before its queueing answers: the CLI keeps the events it heard early.
    hostileApps.emit({ type: 'deployment', deployment: failedDeployment() });
    return { ...failedDeployment(), phase: 'PENDING_BUILD' };
  },
  emit: (_event: unknown) => undefined as void,
};

describe('terminal control sequences in what the CLI prints', () => {
  const run = async (argv: string[]) => {
    const { io, out, err } = capture();
    const code = await runCli(
      argv,
      io,
      fakeEngine(async () => INFO, hostileApps),
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('shows a build line with every control sequence but its colours neutralised', async () => {
    const { code, out } = await run(['apps', 'logs', 'shop', '--type', 'build']);
    expect(code).toBe(0);
    expect(out).toBe(`web | ${SHOWN}`);
    expect(out).not.toMatch(BARE_CONTROL);
  });

  it('passes the line through as it came with --raw', async () => {
    const { out } = await run(['apps', 'logs', 'shop', '--type', 'build', '--raw']);
    expect(out).toBe(`web | ${HOSTILE}`);
  });

  it('prints JSON that holds no raw C1 control and parses to the line as it came', async () => {
    const { out } = await run(['apps', 'logs', 'shop', '--type', 'build', '-o', 'json']);
    expect(out).not.toMatch(BARE_CONTROL);
    expect(JSON.parse(out)).toEqual(hostileLine);
  });

  it('neutralises the progress, the reason and the last log lines that deploy --wait prints', async () => {
    const { code, out, err } = await run(['apps', 'deploy', 'shop', '--wait']);
    expect(code).toBe(1);
    expect(err).toContain(`✗ Build web: ${SHOWN}`);
    expect(out).toContain(`Error:     BUILD_FAILED: The build failed: ${SHOWN}`);
    expect(out).toContain(`  | ${SHOWN}`);
    expect(`${out}\n${err}`).not.toMatch(BARE_CONTROL);
  });

  it('neutralises get-deployment and an error message from the engine', async () => {
    expect((await run(['apps', 'get-deployment', 'shop', 'shop000001'])).out).not.toMatch(BARE_CONTROL);
    const failing = { readLogs: async () => Promise.reject(new SlipwayError('APP_NOT_FOUND', `no ${HOSTILE}`)) };
    const { io, err } = capture();
    expect(
      await runCli(
        ['apps', 'logs', 'shop'],
        io,
        fakeEngine(async () => INFO, failing),
      ),
    ).toBe(1);
    expect(err.join('')).toBe(`Error [APP_NOT_FOUND]: no ${SHOWN}`);
  });
});
