/*
 * The database shell against the real Docker engine: a terminal exec (output, input, size, exit code, hang-up),
 * and the `dbShell` domain of a real engine, for an app whose database container is a busybox with a stand-in
 * `psql` (a shell), labelled as the engine labels its databases. Everything is removed by label, passed or failed.
 */
import { spawn } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseLabels } from '../../src/main/engine/docker/database-options';
import { startTtyExec, TTY_MARKER_ENV, type TtyProcess } from '../../src/main/engine/docker/tty-exec';
import type { Engine } from '../../src/main/engine/engine';
import { installationId } from '../../src/main/engine/store/installation-id';
import type { contract } from '../../src/shared/contract';
import type { DbShellEvent } from '../../src/shared/domains/db-shell';
import type { Client } from '../../src/shared/rpc/client';
import { removeSlipwayResources } from '../support/cleanup';
import { useCliScratch } from '../support/cli-scratch';
import { engineWithClient, scratchDir, stopEdgeProcess } from '../support/deploy-fixtures';
import { CLI_SCRIPT, runSlipway, slipwayEnv } from '../support/slipway-process';

const docker = new Docker();
const LABEL = 'slipway-test-db-shell';
const APP = 'dbshell-it';
const CLI_APP = 'dbshell-cli';
const cliScratch = useCliScratch('db-shell-cli', [CLI_APP]);

/** Collects a terminal's output; `until` resolves once a text shows in it (checked on every chunk), bounded. */
function outputWaiter() {
  let out = '';
  const waiters: Array<{ test: () => boolean; resolve: () => void }> = [];
  return {
    push(chunk: string) {
      out += chunk;
      for (const w of [...waiters]) {
        if (!w.test()) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    },
    text: () => out,
    until(match: string | RegExp, timeoutMs = 10_000): Promise<void> {
      const test = () => (typeof match === 'string' ? out.includes(match) : match.test(out));
      if (test()) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${String(match)} in ${JSON.stringify(out)}`)), timeoutMs);
        waiters.push({ test, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

/** Runs a command in the container to its end; its output. */
async function execToEnd(container: Docker.Container, cmd: string[]): Promise<string> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: true });
  const stream = (await exec.start({ hijack: true, stdin: false, Tty: true })) as Duplex;
  let out = '';
  stream.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((resolve) => stream.once('end', resolve));
  return out;
}

/** Processes of the container that carry a terminal marker. */
const markedProcesses = (container: Docker.Container) =>
  execToEnd(container, [
    'sh',
    '-c',
    `grep -l ${TTY_MARKER_ENV} /proc/[0-9]*/environ 2>/dev/null | grep -v "/proc/$$/" || true`,
  ]);

async function busybox(labels: Record<string, string>, env: string[] = []): Promise<Docker.Container> {
  const container = await docker.createContainer({
    Image: 'busybox:stable',
    Cmd: ['sleep', '600'],
    Env: env,
    Labels: { ...labels, [LABEL]: 'yes' },
  });
  await container.start();
  return container;
}

async function removeTestContainers() {
  for (const c of await docker.listContainers({ all: true, filters: { label: [LABEL] } }))
    await docker.getContainer(c.Id).remove({ force: true });
}

afterAll(removeTestContainers);

describe('a terminal exec in a running container', () => {
  let container: Docker.Container;
  beforeAll(async () => {
    container = await busybox({});
  });

  it('carries output and input, follows the size, and ends with the exit code', async () => {
    const tty: TtyProcess = await startTtyExec(container, ['sh'], { cols: 100, rows: 30 });
    const out = outputWaiter();
    tty.onData((chunk) => out.push(chunk.toString()));
    tty.write(Buffer.from('stty size; echo "sum $((40+2))"\n'));
    await out.until('30 100');
    await out.until('sum 42');
    await tty.resize(120, 40);
    tty.write(Buffer.from('stty size; exit 7\n'));
    await out.until('40 120');
    expect(await tty.exited).toBe(7);
  });

  it('without a terminal: output and errors apart, and the end of input ends it', async () => {
    const piped = await startTtyExec(container, ['sh', '-c', 'cat; echo oops >&2; exit 4'], {
      cols: 80,
      rows: 24,
      tty: false,
    });
    const out = outputWaiter();
    const err = outputWaiter();
    piped.onData((chunk, stream) => (stream === 'stderr' ? err : out).push(chunk.toString()));
    piped.write(Buffer.from('abc\n'));
    piped.endInput();
    expect(await piped.exited).toBe(4);
    expect(out.text()).toBe('abc\n');
    expect(err.text()).toBe('oops\n');
  });

  it('is hung up: every process of its terminal is gone', async () => {
    const tty = await startTtyExec(container, ['sh'], { cols: 80, rows: 24 });
    const out = outputWaiter();
    tty.onData((chunk) => out.push(chunk.toString()));
    tty.write(Buffer.from('echo ready\n'));
    await out.until('ready');
    expect(await markedProcesses(container)).toMatch(/environ/);
    await tty.hangUp();
    await tty.exited;
    expect((await markedProcesses(container)).trim()).toBe('');
  });
});

describe('the dbShell domain of a real engine', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let engine: Engine;
  let client: Client<typeof contract>;
  let owner: string;
  let container: Docker.Container;

  beforeAll(async () => {
    scratch = await scratchDir('db-shell');
    ({ engine, client } = engineWithClient(scratch.dir));
    await client.apps.create({
      specYaml: [
        `name: ${APP}`,
        'databases:',
        '  - name: db',
        '    engine: PG',
        '    version: "15"',
        '  - name: other',
        '    engine: PG',
        'services:',
        '  - name: web',
        '    image: { registry_type: DOCKER_HUB, repository: busybox, tag: stable }',
        '    http_port: 8080',
        '    run_command: httpd -f -p 8080',
        '',
      ].join('\n'),
    });
    owner = await installationId(scratch.dir);
    container = await busybox(databaseLabels(owner, APP, 'db'), ['POSTGRES_USER=db', 'POSTGRES_DB=db']);
    // A stand-in psql: says how it was called, then is an interactive shell.
    await execToEnd(container, [
      'sh',
      '-c',
      'printf "#!/bin/sh\\necho \\"fake psql \\$*\\"\\nexec sh -i\\n" > /bin/psql && chmod +x /bin/psql',
    ]);
  });
  afterAll(async () => {
    // Before the delete, which would give a busybox standing in for PostgreSQL its 30 s to stop.
    await removeTestContainers();
    await client.apps.delete({ app: APP }).catch(() => undefined);
    await engine.close();
    await stopEdgeProcess(scratch.dir);
    await removeSlipwayResources(docker, { app: APP });
    await scratch.remove();
  });

  const open = () => client.dbShell.open({ app: APP, db: 'db', cols: 90, rows: 20 });

  it('refuses a database the spec does not have, and one with no running container', async () => {
    await expect(client.dbShell.open({ app: APP, db: 'nope', cols: 80, rows: 24 })).rejects.toMatchObject({
      code: 'DATABASE_NOT_FOUND',
      message: `${APP} has no database named nope in its spec.`,
    });
    const other = () => client.dbShell.open({ app: APP, db: 'other', cols: 80, rows: 24 });
    await expect(other()).rejects.toMatchObject({
      code: 'DATABASE_NOT_FOUND',
      message: expect.stringContaining('has no container yet: deploy'),
    });
    const stopped = await docker.createContainer({
      Image: 'busybox:stable',
      Cmd: ['true'],
      Labels: { ...databaseLabels(owner, APP, 'other'), [LABEL]: 'yes' },
    });
    await expect(other()).rejects.toMatchObject({
      code: 'DATABASE_NOT_FOUND',
      message: expect.stringContaining('is not running (created)'),
    });
    await stopped.remove({ force: true });
    await expect(client.dbShell.input({ session: 'f'.repeat(32), data: '' })).rejects.toMatchObject({
      code: 'SESSION_NOT_FOUND',
    });
  });

  it('runs the database client in its container: output, input, resize, and a hang-up on unsubscribe', async () => {
    const { session } = await open();
    const out = outputWaiter();
    const events: DbShellEvent[] = [];
    const unsubscribe = await client.dbShell.output({ session }, (event) => {
      events.push(event);
      if (event.type === 'data') out.push(Buffer.from(event.data, 'base64').toString());
    });
    await out.until('fake psql -U db -d db');
    const send = (text: string) => client.dbShell.input({ session, data: Buffer.from(text).toString('base64') });
    await send('stty size; echo "sum $((40+2))"\n');
    await out.until('20 90');
    await out.until('sum 42');
    await client.dbShell.resize({ session, cols: 132, rows: 43 });
    await send('stty size\n');
    await out.until('43 132');
    expect(await markedProcesses(container)).toMatch(/environ/);

    unsubscribe();
    await expect(send('echo more\n')).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    // The hang-up is the engine's; its end shows as the marked processes going.
    await expect.poll(async () => (await markedProcesses(container)).trim(), { timeout: 10_000 }).toBe('');
    expect(events.filter((e) => e.type === 'exit')).toEqual([]);
  });

  it('ends with the client’s exit code, and a closed session tells its viewer', async () => {
    const first = await open();
    const exits: DbShellEvent[] = [];
    const out = outputWaiter();
    await client.dbShell.output(first, (event) => {
      if (event.type === 'exit') exits.push(event);
      else out.push(Buffer.from(event.data, 'base64').toString());
    });
    await out.until('fake psql');
    await client.dbShell.input({ ...first, data: Buffer.from('exit 5\n').toString('base64') });
    await expect.poll(() => exits, { timeout: 10_000 }).toEqual([{ type: 'exit', code: 5 }]);

    const second = await open();
    const seen: DbShellEvent[] = [];
    await client.dbShell.output(second, (event) => event.type === 'exit' && seen.push(event));
    expect(await client.dbShell.close(second)).toEqual({ closed: true });
    expect(seen).toEqual([{ type: 'exit', code: null, reason: 'Closed.' }]);
    expect(await client.dbShell.close(second)).toEqual({ closed: false });
  });
});

/** `slipway ARGV` with `input` piped to its standard input, to its end. */
function slipwayWithInput(argv: string[], input: string) {
  const child = spawn(process.execPath, [CLI_SCRIPT, ...argv], {
    env: slipwayEnv(cliScratch.data()),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  child.stdin.end(input);
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    }),
  );
}

describe('slipway apps db shell (the built CLI, real PostgreSQL)', () => {
  it('runs psql in the database container from a pipe, and exits with its code', async () => {
    const dir = path.join(cliScratch.dir(), CLI_APP);
    await cp(path.join(__dirname, '..', 'fixtures', 'databases', 'pg-app'), dir, { recursive: true });
    const spec = path.join(dir, 'app.yaml');
    await writeFile(spec, (await readFile(spec, 'utf8')).replace(/^name: .*$/m, `name: ${CLI_APP}`));
    for (const argv of [
      ['apps', 'create', '--spec', dir],
      ['apps', 'deploy', CLI_APP, '--wait'],
    ]) {
      const run = await runSlipway(cliScratch.data(), argv);
      expect(run.code, `${run.out}\n${run.err}`).toBe(0);
    }

    // From a pipe, psql reads its input as a file: no prompt, and the end of the pipe ends it.
    const shell = await slipwayWithInput(['apps', 'db', 'shell', CLI_APP, 'db'], 'select 40+2 as answer;');
    expect(shell.code, shell.err).toBe(0);
    expect(shell.out).toMatch(/^ answer \n-+\n +42\n\(1 row\)\n/);
    expect(shell.out).not.toContain('db=#');

    const failing = await slipwayWithInput(
      ['apps', 'db', 'shell', CLI_APP, 'db'],
      '\\set ON_ERROR_STOP 1\nselect 1/0;\nselect 2;\n',
    );
    expect(failing.err).toContain('division by zero');
    expect(failing.out).not.toContain('2\n(1 row)');
    expect(failing.code).toBe(3);

    const missing = await slipwayWithInput(['apps', 'db', 'shell', CLI_APP, 'nope'], '');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(`Error [DATABASE_NOT_FOUND]: ${CLI_APP} has no database named nope in its spec.`);
  });
});
