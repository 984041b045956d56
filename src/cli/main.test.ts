import { describe, expect, it } from 'vitest';
import { contract } from '../shared/contract';
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
