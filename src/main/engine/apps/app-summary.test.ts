import { describe, expect, it } from 'vitest';
import type { Deployment, DeploymentPhase } from '../../../shared/deployment';
import type { AppRecord } from '../store/state-store';
import { appStatus, appSummary, failedSinceLive } from './app-summary';

const app: AppRecord = {
  name: 'shop',
  server: 'local',
  specYaml:
    'name: shop\nservices:\n  - name: web\n    image:\n      registry_type: DOCKER_HUB\n      repository: nginx\n',
  sourcePath: null,
  hostPorts: { web: 41000 },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

function deployment(id: string, phase: DeploymentPhase, containers: string[] = []): Deployment {
  return {
    id,
    app: 'shop',
    plan: { type: 'build', revision: null },
    cause: 'manual',
    phase,
    specYaml: app.specYaml,
    sourceRevision: null,
    images: {},
    containers: { web: containers },
    endpoints: [],
    progress: [],
    options: { forceRebuild: false, clearCache: false },
    createdAt: `2026-01-01T00:00:0${id}.000Z`,
    updatedAt: `2026-01-01T00:00:0${id}.000Z`,
    ...(phase === 'ERROR' ? { error: { code: 'BUILD_FAILED', message: `build ${id} failed` } } : {}),
  };
}

const allRunning = () => true;

describe('appStatus', () => {
  it('follows the deployments and the live containers', () => {
    expect(appStatus([], allRunning)).toBe('new');
    expect(appStatus([deployment('1', 'BUILDING')], allRunning)).toBe('deploying');
    expect(appStatus([deployment('1', 'ERROR')], allRunning)).toBe('error');
    expect(appStatus([deployment('1', 'CANCELED')], allRunning)).toBe('stopped');
    const live = deployment('1', 'ACTIVE', ['a', 'b']);
    expect(appStatus([live], allRunning)).toBe('live');
    expect(appStatus([live], (id) => id === 'a')).toBe('degraded');
    expect(appStatus([live], () => false)).toBe('stopped');
    expect(appStatus([live, deployment('2', 'ERROR')], allRunning)).toBe('live');
  });

  it('passes over deployments dropped from the queue: they never ran', () => {
    expect(appStatus([deployment('1', 'ERROR'), deployment('2', 'DROPPED')], allRunning)).toBe('error');
    expect(appStatus([deployment('1', 'DROPPED')], allRunning)).toBe('stopped');
  });

  it('is unreachable, whatever was last known, while its engine does not answer; a new app stays new', () => {
    expect(appStatus([deployment('1', 'ACTIVE', ['a'])], allRunning, false)).toBe('unreachable');
    expect(appStatus([deployment('1', 'BUILDING')], allRunning, false)).toBe('unreachable');
    expect(appStatus([], allRunning, false)).toBe('new');
  });
});

describe('failedSinceLive', () => {
  it('is the newest failure after the live deployment, or none once a newer one went live', () => {
    expect(failedSinceLive([deployment('1', 'ACTIVE')])).toBeUndefined();
    expect(failedSinceLive([deployment('1', 'ACTIVE'), deployment('2', 'ERROR')])?.id).toBe('2');
    expect(failedSinceLive([deployment('1', 'ACTIVE'), deployment('2', 'ERROR'), deployment('3', 'ERROR')])?.id).toBe(
      '3',
    );
    expect(failedSinceLive([deployment('1', 'ERROR'), deployment('2', 'ACTIVE')])).toBeUndefined();
    // A cancel after a failure is not a success: the failure still tells why the app is behind.
    expect(
      failedSinceLive([deployment('1', 'SUPERSEDED'), deployment('2', 'ERROR'), deployment('3', 'CANCELED')])?.id,
    ).toBe('2');
  });
});

describe('appSummary', () => {
  it('names the live, running and failed deployments and the services’ URLs', () => {
    const summary = appSummary(app, [deployment('1', 'ACTIVE', ['a']), deployment('2', 'ERROR')], allRunning);
    expect(summary).toMatchObject({
      name: 'shop',
      status: 'live',
      components: [{ name: 'web', kind: 'service', instanceCount: 1, url: 'http://127.0.0.1:41000' }],
      liveDeployment: { id: '1', cause: 'manual' },
      activeDeployment: null,
      failedDeployment: { id: '2', cause: 'manual', message: 'build 2 failed' },
    });
  });
});

describe('appSummary public URLs', () => {
  it("gives a component the public URLs of the live deployment's endpoint, and none where it has none", () => {
    const live = {
      ...deployment('1', 'ACTIVE', ['a']),
      endpoints: [
        { component: 'web', hostPort: 41000, url: 'http://127.0.0.1:41000', publicUrls: ['https://shop.example.test'] },
      ],
    };
    const web = appSummary(app, [live], allRunning).components[0]!;
    expect(web.url).toBe('http://127.0.0.1:41000');
    expect(web.publicUrls).toEqual(['https://shop.example.test']);
    const plain = { ...live, endpoints: [{ component: 'web', hostPort: 41000, url: 'http://127.0.0.1:41000' }] };
    expect(appSummary(app, [plain], allRunning).components[0]).not.toHaveProperty('publicUrls');
    // Only the live deployment counts: one that failed after it says nothing of where the app is served.
    expect(appSummary(app, [deployment('1', 'ERROR')], allRunning).components[0]).not.toHaveProperty('publicUrls');
  });
});
