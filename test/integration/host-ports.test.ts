import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppDetail } from '../../src/shared/domains/apps';
import { useCliScratch } from '../support/cli-scratch';
import { httpGet, writeSiteApp } from '../support/deploy-fixtures';
import { runSlipway } from '../support/slipway-process';

const APPS = ['ports-a', 'ports-b'];

const scratch = useCliScratch('ports', APPS);

const portOf = (app: AppDetail) => Number(new URL(app.components.find((c) => c.name === 'web')!.url!).port);

describe('stable host ports', () => {
  it('gives apps created without --host-port ports of their own, outside the ephemeral range, kept across deploys', async () => {
    const [first, last] = (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'))
      .trim()
      .split(/\s+/)
      .map(Number);
    const ports: number[] = [];
    for (const name of APPS) {
      const dir = await writeSiteApp(scratch.dir(), { name, page: `${name}\n` });
      expect((await runSlipway(scratch.data(), ['apps', 'create', '--spec', path.join(dir, 'app.yaml')])).code).toBe(0);
      const deployed = await runSlipway(scratch.data(), ['apps', 'deploy', name, '--wait']);
      expect(deployed.code, deployed.err).toBe(0);
      const app = JSON.parse((await runSlipway(scratch.data(), ['apps', 'get', name, '-o', 'json'])).out) as AppDetail;
      ports.push(portOf(app));
      expect((await httpGet(`http://127.0.0.1:${portOf(app)}/`)).body).toBe(`${name}\n`);
    }
    expect(new Set(ports).size).toBe(2);
    for (const port of ports) expect(port < first! || port > last!, `${port} is in ${first}-${last}`).toBe(true);

    const again = await runSlipway(scratch.data(), ['apps', 'deploy', APPS[0]!, '--wait']);
    expect(again.code, again.err).toBe(0);
    const kept = JSON.parse(
      (await runSlipway(scratch.data(), ['apps', 'get', APPS[0]!, '-o', 'json'])).out,
    ) as AppDetail;
    expect(portOf(kept)).toBe(ports[0]);

    // A port another app holds is refused, naming that app.
    const spec = path.join(scratch.dir(), APPS[1]!, 'app.yaml');
    const clash = await runSlipway(scratch.data(), [
      'apps',
      'update',
      APPS[1]!,
      '--spec',
      spec,
      '--host-port',
      `web=${ports[0]}`,
    ]);
    expect(clash.code).toBe(1);
    expect(clash.err).toBe(`Error [INVALID_REQUEST]: hostPorts.web: port ${ports[0]} is used by app ${APPS[0]}.\n`);
  });
});
