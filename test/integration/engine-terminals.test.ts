import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { AppDetail } from '../../src/shared/domains/apps';
import { useCliScratch } from '../support/cli-scratch';
import { httpGet, writeSiteApp } from '../support/deploy-fixtures';
import { leftoversOf } from '../support/engine-checks';
import { runSlipway, startSlipway } from '../support/slipway-process';

const docker = new Docker();
const APP = 'eng-terminals';

const scratch = useCliScratch('terminals', [APP]);

describe('several terminals on one engine', () => {
  it('lists, follows and cancels from other terminals while one waits on a slow build', async () => {
    const dir = await writeSiteApp(scratch.dir(), { name: APP, page: 'v1\n' });
    expect((await runSlipway(scratch.data(), ['apps', 'create', '--spec', path.join(dir, 'app.yaml')])).code).toBe(0);
    expect((await runSlipway(scratch.data(), ['apps', 'deploy', APP, '--wait'])).code).toBe(0);
    const app = JSON.parse((await runSlipway(scratch.data(), ['apps', 'get', APP, '-o', 'json'])).out) as AppDetail;
    const url = app.components[0]!.url!;
    expect((await httpGet(url)).body).toBe('v1\n');

    await writeFile(path.join(dir, 'site', 'index.html'), 'v2\n');
    await writeFile(
      path.join(dir, 'Dockerfile'),
      'FROM busybox:stable\nCOPY site/ /www/\nRUN echo slow step && sleep 60\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n',
    );
    // Terminal 1 waits on the deploy.
    const waiting = startSlipway(scratch.data(), ['apps', 'deploy', APP, '--wait']);
    await waiting.printed(/Deployment (\w+) \(manual\)/);
    const id = /Deployment (\w+) \(manual\)/.exec(waiting.output().err)![1]!;

    // Terminal 2 follows the build log, terminal 3 lists the apps.
    const follower = startSlipway(scratch.data(), ['apps', 'logs', APP, '--type', 'build', '--follow']);
    await follower.printed(/^web \| slow step$/m);
    const list = await runSlipway(scratch.data(), ['apps', 'list']);
    expect(list.code, list.err).toBe(0);
    expect(list.out).toMatch(new RegExp(`${APP}\\s+local\\s+deploying`));

    // Terminal 4 cancels; terminal 1 reports it and fails.
    const canceled = await runSlipway(scratch.data(), ['apps', 'cancel', APP]);
    expect(canceled.code, canceled.err).toBe(0);
    expect(canceled.out).toBe(`Deployment ${id} canceled.\n`);
    const waited = await waiting.exited;
    expect(waited.code).toBe(1);
    expect(waited.out).toContain('CANCELED');

    follower.interrupt();
    const followed = await follower.exited;
    expect(followed.code, followed.err).toBe(0);
    expect(followed.out).toMatch(/^web \| Step 3\/\d+ : RUN echo slow step && sleep 60$/m);

    // The live version never stopped serving, and the canceled one left nothing behind.
    expect((await httpGet(url)).body).toBe('v1\n');
    expect(await leftoversOf(docker, APP, id)).toEqual({ containers: [], images: [] });
    const running = await docker.listContainers({ filters: { ancestor: ['busybox:stable'] } });
    expect(running.filter((c) => c.Command.includes('sleep 60'))).toEqual([]);
  });
});
