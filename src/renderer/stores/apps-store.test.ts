import { describe, expect, it, vi } from 'vitest';
import type { AppEvent, AppSummary } from '../../shared/domains/apps';
import type { Deployment, DeploymentPhase } from '../../shared/deployment';
import { SlipwayError } from '../../shared/errors';
import type { AppsClient } from '../client';
import { createAppsStore, sortedDeployments } from './apps-store';
import { startDeploymentNotifications, type Notifier } from './notifications';

const summary = (name: string, status: AppSummary['status'] = 'new'): AppSummary => ({
  name,
  server: 'local',
  status,
  components: [],
  liveDeployment: null,
  activeDeployment: null,
  failedDeployment: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const deployment = (id: string, phase: DeploymentPhase, updatedAt: string, app = 'shop'): Deployment => ({
  id,
  app,
  plan: { type: 'build', revision: null },
  cause: 'manual',
  phase,
  specYaml: '',
  sourceRevision: null,
  images: {},
  containers: {},
  endpoints: [],
  progress: [],
  options: { forceRebuild: false, clearCache: false },
  createdAt: `2026-01-01T00:00:0${id}.000Z`,
  updatedAt,
});

function fakeClient(list: AppSummary[] = []) {
  let emit: (event: AppEvent) => void = () => undefined;
  let answerList: (value: AppSummary[]) => void = () => undefined;
  const client = {
    apps: {
      events: vi.fn(async (_params: object, onEvent: (event: AppEvent) => void) => {
        emit = onEvent;
        return () => undefined;
      }),
      list: vi.fn(() => new Promise<AppSummary[]>((resolve) => (answerList = resolve))),
      listDeployments: vi.fn(async () => [] as Deployment[]),
    },
  } as unknown as AppsClient;
  return { client, emit: (e: AppEvent) => emit(e), answerList: () => answerList(list) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('apps store', () => {
  it('subscribes before listing, and drops app events older than the list', async () => {
    const fake = fakeClient([summary('shop', 'live')]);
    const store = createAppsStore(fake.client);
    store.getState().start();
    await settle();
    expect(fake.client.apps.events).toHaveBeenCalledBefore(fake.client.apps.list as never);
    // Sent before the list was taken: the list is newer.
    fake.emit({ type: 'app', app: summary('shop', 'deploying') });
    fake.answerList();
    await settle();
    expect(store.getState().apps.shop?.status).toBe('live');
    expect(store.getState().load.state).toBe('ready');
    fake.emit({ type: 'app', app: summary('shop', 'error') });
    expect(store.getState().apps.shop?.status).toBe('error');
    fake.emit({ type: 'app-deleted', app: 'shop' });
    expect(store.getState().apps).toEqual({});
  });

  it('keeps the newest version of each deployment and tells phase changes it saw happen', async () => {
    const fake = fakeClient();
    const store = createAppsStore(fake.client);
    const seen: string[] = [];
    store.onPhaseChange((d, previous) => seen.push(`${previous}->${d.phase}`));
    store.getState().start();
    await settle();
    fake.answerList();
    await settle();
    fake.emit({ type: 'deployment', deployment: deployment('1', 'PENDING_BUILD', 'a') });
    fake.emit({ type: 'deployment', deployment: deployment('1', 'BUILDING', 'b') });
    // An older copy (an action's answer that arrived late) does not win.
    store.getState().putDeployment(deployment('1', 'PENDING_BUILD', 'a'));
    fake.emit({ type: 'deployment', deployment: deployment('1', 'ACTIVE', 'c') });
    expect(store.getState().deployments.shop?.['1']?.phase).toBe('ACTIVE');
    expect(seen).toEqual(['PENDING_BUILD->BUILDING', 'BUILDING->ACTIVE']);
  });

  it('reports a failed list by its code and can start again', async () => {
    const fake = fakeClient();
    (fake.client.apps.list as ReturnType<typeof vi.fn>).mockRejectedValueOnce(
      new SlipwayError('TRANSPORT_CLOSED', 'closed'),
    );
    const store = createAppsStore(fake.client);
    store.getState().start();
    await settle();
    expect(store.getState().load).toMatchObject({ state: 'failed', error: { code: 'TRANSPORT_CLOSED' } });
    store.getState().start();
    await settle();
    expect(fake.client.apps.events).toHaveBeenCalledTimes(2);
  });

  it('sorts deployments newest first', () => {
    const sorted = sortedDeployments({ a: deployment('1', 'ACTIVE', 'x'), b: deployment('2', 'ERROR', 'x') });
    expect(sorted.map((d) => d.id)).toEqual(['2', '1']);
  });
});

describe('deployment notifications', () => {
  /** A started store with notifications on it; `shown` collects what reached the desktop. */
  async function watch({ hidden, wanted = true }: { hidden: boolean; wanted?: boolean }) {
    const shown: string[] = [];
    const notifier: Notifier = {
      isWanted: () => wanted,
      isHidden: () => hidden,
      show: (title, body) => shown.push(`${title}: ${body}`),
    };
    const fake = fakeClient();
    const store = createAppsStore(fake.client);
    startDeploymentNotifications(store, notifier);
    store.getState().start();
    await settle();
    fake.answerList();
    await settle();
    return { emit: fake.emit, shown };
  }

  it('notifies success and failure seen while the window is hidden', async () => {
    const { emit, shown } = await watch({ hidden: true });
    emit({ type: 'deployment', deployment: deployment('1', 'BUILDING', 'a') });
    emit({ type: 'deployment', deployment: deployment('1', 'DEPLOYING', 'b') });
    emit({ type: 'deployment', deployment: deployment('1', 'ACTIVE', 'c') });
    emit({ type: 'deployment', deployment: deployment('2', 'BUILDING', 'a') });
    emit({
      type: 'deployment',
      deployment: { ...deployment('2', 'ERROR', 'b'), error: { code: 'BUILD_FAILED', message: 'step 3 failed' } },
    });
    expect(shown).toEqual(['shop is live: Deployment 1 (manual) went live.', 'shop: deployment failed: step 3 failed']);
  });

  it('stays quiet when the user turned notifications off', async () => {
    const { emit, shown } = await watch({ hidden: true, wanted: false });
    emit({ type: 'deployment', deployment: deployment('1', 'BUILDING', 'a') });
    emit({ type: 'deployment', deployment: deployment('1', 'ACTIVE', 'b') });
    expect(shown).toEqual([]);
  });

  it('stays quiet while the window is in front', async () => {
    const { emit, shown } = await watch({ hidden: false });
    emit({ type: 'deployment', deployment: deployment('1', 'BUILDING', 'a') });
    emit({ type: 'deployment', deployment: deployment('1', 'ACTIVE', 'b') });
    expect(shown).toEqual([]);
  });
});
