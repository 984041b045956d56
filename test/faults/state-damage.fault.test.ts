import { randomBytes } from 'node:crypto';
import { cp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCliScratch } from '../support/cli-scratch';
import { httpGet, writeSiteApp } from '../support/deploy-fixtures';
import { runSlipway, stopEngineProcess } from '../support/slipway-process';
import { Finding, faultTable, type FaultReport } from './support/fault-table';

const table = faultTable(__filename);
const rows = {
  truncated: table.row('state/1', 'state.json truncated (a crash or a full disk cut it short)'),
  unparsable: table.row('state/2', 'state.json unparsable (bytes that are not JSON)'),
  shape: table.row('state/3', 'state.json of the wrong shape (a list where the state is an object)'),
  newer: table.row('state/4', 'state.json from a newer schema version'),
  key: table.row('state/5', 'secret.key deleted while secrets are sealed'),
};

const APP = `fk-state-${randomBytes(3).toString('hex')}`;
const scratch = useCliScratch('fault-state', [APP]);

describe('a damaged data folder', () => {
  let url = '';
  let deployments = 0;
  const data = () => scratch.data();
  const state = () => path.join(data(), 'state.json');

  beforeAll(async () => {
    const dir = await writeSiteApp(scratch.dir(), {
      name: APP,
      page: 'state v1\n',
      services: [
        '  - name: web',
        '    dockerfile_path: Dockerfile',
        '    http_port: 8080',
        '    envs:',
        '      - { key: API_TOKEN, value: fault-state-sentinel, type: SECRET }',
      ].join('\n'),
    });
    expect((await runSlipway(data(), ['apps', 'create', '--spec', path.join(dir, 'app.yaml')])).code).toBe(0);
    const deployed = await runSlipway(data(), ['apps', 'deploy', APP, '--wait']);
    expect(deployed.code, deployed.err).toBe(0);
    const listed = await deploymentsOf();
    deployments = listed.length;
    url = listed[0]!.endpoints[0]!.url;
  });

  async function deploymentsOf(): Promise<Array<{ id: string; phase: string; endpoints: Array<{ url: string }> }>> {
    const run = await runSlipway(data(), ['apps', 'list-deployments', APP, '-o', 'json']);
    if (run.code !== 0) throw new Finding(`list-deployments failed: ${run.err.split('\n')[0]}`);
    return JSON.parse(run.out) as Array<{ id: string; phase: string; endpoints: Array<{ url: string }> }>;
  }

  /**
   * The engine is stopped, the damage done, and the next command run as a user would:
   * what it prints, what is left on disk, and whether the user's way back (the message's own
   * instruction, or putting back what was taken) brings every record and the next deploy back.
   */
  async function damaged(
    report: FaultReport,
    fault: { damage(): Promise<void>; code: string; copied: boolean; restore(): Promise<void> },
  ) {
    await stopEngineProcess(data());
    await fault.damage();
    const before = await readdir(data());
    const damagedState = await readFile(state()).catch(() => null);
    const run = await runSlipway(data(), ['apps', 'list']);
    report.sees(run.err.split('\n')[0] ?? '');

    await report.check('the command is refused with a typed error naming the file', () => {
      if (run.code === 0) throw new Finding('the command succeeded');
      if (!run.err.includes(`[${fault.code}]`)) throw new Finding(`no ${fault.code} in what was printed`);
      if (!run.err.includes(data())) throw new Finding('the message does not name the data folder');
    });
    await report.check('the damaged file is left as it was', async () => {
      const now = await readFile(state()).catch(() => null);
      if (String(now) !== String(damagedState)) throw new Finding('state.json was changed');
    });
    await report.check(
      fault.copied ? 'a copy of the damaged file is kept beside it' : 'no file was added or removed',
      async () => {
        const files = await readdir(data());
        const copies = files.filter((f) => f.startsWith('state.json.damaged-'));
        if (fault.copied) {
          if (copies.length !== 1) throw new Finding(`${copies.length} copies`);
          if (String(await readFile(path.join(data(), copies[0]!))) !== String(damagedState))
            throw new Finding('the copy differs from the damaged file');
          await rm(path.join(data(), copies[0]!));
        } else if (files.sort().join() !== before.sort().join()) {
          throw new Finding('the data folder changed');
        }
      },
    );
    await report.check('the live version serves its page', async () => {
      const page = await httpGet(url);
      if (page.body !== 'state v1\n') throw new Finding(`the app's URL answers ${page.status}`);
    });
    await fault.restore();
    await report.check('after the way back, every deployment record is there', async () => {
      const listed = await deploymentsOf();
      if (listed.length < deployments) throw new Finding(`${deployments - listed.length} deployment(s) lost`);
    });
    await report.check('the next deploy goes live', async () => {
      const next = await runSlipway(data(), ['apps', 'deploy', APP, '--wait']);
      if (next.code !== 0) throw new Finding(`the deploy failed: ${next.err.split('\n')[0]}`);
      deployments += 1;
      if ((await httpGet(url)).body !== 'state v1\n') throw new Finding('the app does not serve after it');
    });
  }

  /** The way back a STATE_DAMAGED message gives: copy the last good copy over the state file. */
  const restoreLastGood = () => cp(`${state()}.last-good`, state());

  it('truncated', async () => {
    await rows.truncated.run((report) =>
      damaged(report, {
        damage: async () => truncate(state(), Math.floor((await readFile(state())).length / 2)),
        code: 'STATE_DAMAGED',
        copied: true,
        restore: restoreLastGood,
      }),
    );
  });

  it('unparsable', async () => {
    await rows.unparsable.run((report) =>
      damaged(report, {
        damage: () => writeFile(state(), '{"schemaVersion": 2, "apps": [}\u0000garbage'),
        code: 'STATE_DAMAGED',
        copied: true,
        restore: restoreLastGood,
      }),
    );
  });

  it('wrong shape', async () => {
    await rows.shape.run((report) =>
      damaged(report, {
        damage: () => writeFile(state(), '[]'),
        code: 'STATE_DAMAGED',
        copied: true,
        restore: restoreLastGood,
      }),
    );
  });

  it('newer schema', async () => {
    let original = '';
    await rows.newer.run((report) =>
      damaged(report, {
        damage: async () => {
          original = await readFile(state(), 'utf8');
          const parsed = JSON.parse(original) as Record<string, unknown>;
          await writeFile(state(), JSON.stringify({ ...parsed, schemaVersion: 99 }));
        },
        code: 'STATE_TOO_NEW',
        copied: false,
        // The user runs the Slipway that wrote it; here that is the file as it was.
        restore: () => writeFile(state(), original),
      }),
    );
  });

  it('missing secret key', async () => {
    const key = path.join(data(), 'secret.key');
    let saved: Buffer | null = null;
    await rows.key.run((report) =>
      damaged(report, {
        damage: async () => {
          saved = await readFile(key);
          await rm(key);
        },
        code: 'SECRET_KEY_MISSING',
        copied: false,
        // The user brings back the key from a backup.
        restore: () => writeFile(key, saved!, { mode: 0o600 }),
      }),
    );
  });
});
