import { execFileSync } from 'node:child_process';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectEngine } from '../../src/main/engine/daemon/engine-launcher';
import type { EngineConnection } from '../../src/main/engine/daemon/local-socket-client';
import { MAX_REQUEST_BYTES } from '../../src/main/engine/daemon/serve-messages';
import { attachSocketServer, newSocketToken } from '../../src/main/rpc/websocket-server';
import { contract } from '../../src/shared/contract';
import { createClient } from '../../src/shared/rpc/client';
import { useCliScratch } from '../support/cli-scratch';
import { writeSiteApp } from '../support/deploy-fixtures';
import { greetedPeer, offerEndlessLine, rssOf } from '../support/engine-front-ends';
import { ENGINE_SCRIPT, isAlive, runSlipway, slipwayEnv } from '../support/slipway-process';

const APP = 'hostile-long-line';
const scratch = useCliScratch('hostile', [APP]);

/** Holds the engine up for the whole file, and is the "other client" that must go on being served. */
let bystander: EngineConnection;
beforeAll(async () => {
  bystander = await connectEngine({ dataDir: scratch.data(), script: ENGINE_SCRIPT, env: slipwayEnv(scratch.data()) });
});
afterAll(() => bystander?.close());

const engineServes = async () => (await createClient(contract, bystander.transport).apps.list()) !== undefined;

const greeted = () => greetedPeer(scratch.data(), bystander.engine.version);

const invalidRequest = (message: RegExp) => ({
  t: 'result',
  id: -1,
  result: { ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringMatching(message) } },
});

describe("the engine's local socket, from a hostile peer", () => {
  it('closes a line that never ends after the bound, holding no more memory, and serves the others', async () => {
    const pid = bystander.engine.pid;
    const before = await rssOf(pid);
    const peer = await greeted();
    // A quarter of a gigabyte is offered; the engine must hang up long before.
    const sent = await offerEndlessLine(peer, 256 * 1024 * 1024);
    expect(sent).toBeLessThan(2 * MAX_REQUEST_BYTES);
    expect(peer.lines.slice(1)).toEqual([invalidRequest(/longer than/)]);
    expect(isAlive(pid)).toBe(true);
    expect(await engineServes()).toBe(true);
    expect((await rssOf(pid)) - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('closes a peer that sends bytes that are not UTF-8, and answers one that sends a line that is not JSON', async () => {
    const bad = await greeted();
    bad.socket.write(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d, 0x0a]));
    await bad.closed;
    expect(bad.lines.slice(1)).toEqual([invalidRequest(/UTF-8/)]);

    const garbled = await greeted();
    garbled.socket.write('{"t":"call","id":1,\n');
    garbled.socket.write(`${JSON.stringify({ t: 'call', id: 2, name: 'apps.list', request: {} })}\n`);
    await expect.poll(() => garbled.lines.length).toBe(3);
    expect(garbled.lines.slice(1)).toEqual([
      invalidRequest(/Malformed/),
      { t: 'result', id: 2, result: { ok: true, data: expect.any(Array) } },
    ]);
    garbled.socket.destroy();
    expect(isAlive(bystander.engine.pid)).toBe(true);
    expect(await engineServes()).toBe(true);
  });
});

describe('the WebSocket host relaying to the engine, from a hostile page', () => {
  let server: Server;
  let close: () => Promise<void>;
  let url: string;
  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const token = newSocketToken();
    close = attachSocketServer({ server, router: bystander.transport, token }).close;
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/rpc?token=${token}`;
  });
  afterAll(async () => {
    await close();
    await new Promise((resolve) => server.close(resolve));
  });

  const open = async () => {
    const socket = new WebSocket(url);
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('open', resolve));
    return { socket, closed };
  };
  const call = async (message: unknown) => {
    const { socket } = await open();
    const reply = new Promise<unknown>((resolve) => socket.once('message', (d) => resolve(JSON.parse(String(d)))));
    socket.send(JSON.stringify(message));
    const answer = await reply;
    socket.close();
    return answer;
  };

  it('validates a spec of the largest size, and closes only the connection of a larger or invalid frame', async () => {
    // A valid spec just under 1 MiB: the message that carries it is larger still.
    const head = 'name: shop\nservices:\n  - name: web\n    image: {registry_type: DOCKER_HUB, repository: nginx}\n';
    const specYaml = head + '# "quoted" padding\n'.repeat(Math.floor((1024 * 1024 - head.length) / 19));
    expect(await call({ t: 'call', id: 1, name: 'apps.validateSpec', request: { specYaml } })).toMatchObject({
      id: 1,
      result: { ok: true, data: { errors: [], spec: { name: 'shop' } } },
    });

    const oversized = await open();
    oversized.socket.send('x'.repeat(MAX_REQUEST_BYTES + 1));
    expect(await oversized.closed).toBe(1009);
    const invalid = await open();
    invalid.socket.send(Buffer.from([0x7b, 0xff, 0x7d]), { binary: false });
    expect(await invalid.closed).toBe(1007);

    expect(await call({ t: 'call', id: 3, name: 'apps.list', request: {} })).toMatchObject({ result: { ok: true } });
    expect(isAlive(bystander.engine.pid)).toBe(true);
  });
});

describe('spec paths that are not spec files', () => {
  const create = (spec: string) =>
    runSlipway(scratch.data(), ['apps', 'create', '--spec', spec], { timeoutMs: 30_000 });

  it('refuses a FIFO and a device at once, and the engine goes on serving', async () => {
    const fifo = path.join(scratch.dir(), 'app.yaml.fifo');
    execFileSync('mkfifo', [fifo]);
    const fromFifo = await create(fifo);
    expect(fromFifo.code).not.toBe(0);
    expect(fromFifo.err).toContain(`${fifo} is not a regular file (a named pipe)`);
    const fromDevice = await create('/dev/urandom');
    expect(fromDevice.code).not.toBe(0);
    expect(fromDevice.err).toContain('/dev/urandom is not a regular file (a device)');
    // `apps spec validate` reads the file in the CLI itself, with the same checks.
    const validated = await runSlipway(scratch.data(), ['apps', 'spec', 'validate', fifo], { timeoutMs: 30_000 });
    expect(validated.code).not.toBe(0);
    expect(validated.err).toContain(`${fifo} is not a regular file (a named pipe)`);
    for (const run of [fromFifo, fromDevice, validated]) expect(run.ms).toBeLessThan(15_000);
    expect((await runSlipway(scratch.data(), ['apps', 'list'])).code).toBe(0);
  });

  it('refuses a file that is not UTF-8 by its byte and line, and one that is not a spec without quoting it', async () => {
    const latin1 = path.join(scratch.dir(), 'latin1.yaml');
    await writeFile(latin1, Buffer.concat([Buffer.from('name: shop\n# caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const fromLatin1 = await create(latin1);
    expect(fromLatin1.code).not.toBe(0);
    expect(fromLatin1.err).toContain('byte 0xE9 at line 2');
    const fromPasswd = await create('/etc/passwd');
    expect(fromPasswd.code).not.toBe(0);
    expect(fromPasswd.err).toContain('not text');
    expect(fromPasswd.err).not.toMatch(/root|nologin/);
  });
});

describe('a 10 MB line without a newline', () => {
  it('is cut at the bound with a marker in the build log, and what follows still arrives', async () => {
    const dockerfile = [
      'FROM busybox:stable',
      'RUN head -c 10485760 /dev/zero | tr "\\000" y; echo; echo built-after-the-long-line',
      'COPY site/ /www/',
      'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
      '',
    ].join('\n');
    const dir = await writeSiteApp(scratch.dir(), { name: APP, dockerfile });
    expect((await runSlipway(scratch.data(), ['apps', 'create', '--spec', path.join(dir, 'app.yaml')])).code).toBe(0);
    const deployed = await runSlipway(scratch.data(), ['apps', 'deploy', APP, '--wait']);
    expect(deployed.code, deployed.err).toBe(0);

    const build = await runSlipway(scratch.data(), ['apps', 'logs', APP, '--type', 'build']);
    expect(build.code, build.err).toBe(0);
    const built = build.out.split('\n');
    expect(built.filter((line) => line.includes('yyyy'))).toEqual([
      `web | ${'y'.repeat(1024 * 1024)}… [line cut at 1,048,576 characters]`,
    ]);
    expect(built.some((line) => line.endsWith('built-after-the-long-line'))).toBe(true);
    // The stored log holds the cut line, not ten megabytes.
    const folder = path.join(scratch.data(), 'logs', APP);
    const [file] = await readdir(folder);
    expect((await stat(path.join(folder, file!))).size).toBeLessThan(3 * 1024 * 1024);
  });
});
