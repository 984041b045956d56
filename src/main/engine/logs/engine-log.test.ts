import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineLog, engineLogFile } from './engine-log';
import { createRedactor } from './redactor';

describe('the engine log', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'slipway-engine-log-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends one JSON line an error, 0600, with every secret value hidden', async () => {
    const file = engineLogFile(path.join(dir, 'data'));
    const log = new EngineLog(file);
    const err = Object.assign(new Error('push failed with token hunter2-secret'), { code: 'EPIPE' });
    await log.unexpected('apps.deploy', err, createRedactor({ 'shop/API_TOKEN': 'hunter2-secret' }));
    await log.unexpected('apps.get', 'a thrown string', createRedactor({}));
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('hunter2-secret');
    const [first, second] = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toMatchObject({
      method: 'apps.deploy',
      name: 'Error',
      code: 'EPIPE',
      message: 'push failed with token [secret shop/API_TOKEN]',
    });
    expect(first!.stack).toContain('[secret shop/API_TOKEN]');
    expect(second).toMatchObject({ method: 'apps.get', name: 'string', message: 'a thrown string' });
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('starts again past its size, keeping the previous log as engine.log.1', async () => {
    const file = engineLogFile(dir);
    await writeFile(file, 'x'.repeat(200));
    const log = new EngineLog(file, 100);
    await log.unexpected('apps.list', new Error('after the rollover'), createRedactor({}));
    expect(await readFile(`${file}.1`, 'utf8')).toBe('x'.repeat(200));
    expect(await readFile(file, 'utf8')).toContain('after the rollover');
  });
});
