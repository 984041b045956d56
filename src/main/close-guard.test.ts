import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppSummary } from '../shared/domains/apps';
import type { EngineStatus } from '../shared/domains/engine';
import { SlipwayError } from '../shared/errors';
import { fail, ok, toErrorPayload, type Envelope } from '../shared/rpc/envelope';
import type { Transport } from '../shared/rpc/transport';
import {
  busyApps,
  CANCEL_BUTTON,
  decideWindowClose,
  guardWindowClose,
  KEEP_BUTTON,
  STAY_BUTTON,
  type CloseDecision,
} from './close-guard';

afterEach(() => {
  vi.restoreAllMocks();
});

const status = (inFlight: number): EngineStatus => ({
  running: true,
  pid: 4242,
  socket: '/run/slipway/engine.sock',
  version: '0.1.0',
  clients: 1,
  inFlight,
  stopping: false,
  log: '/home/someone/.config/Slipway/logs/engine.log',
});

const summary = (name: string, deploying: boolean): AppSummary => ({
  name,
  server: 'local',
  status: deploying ? 'deploying' : 'live',
  components: [],
  liveDeployment: null,
  activeDeployment: deploying ? { id: `${name}000001`, cause: 'manual', phase: 'BUILDING' } : null,
  failedDeployment: null,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
});

const refusal = (code: SlipwayError['code'], message: string) => fail(toErrorPayload(new SlipwayError(code, message)));

/** An engine that answers from a table of handlers and records every call it gets. */
function fakeEngine(answers: Record<string, (request: unknown) => Envelope<unknown> | Promise<Envelope<unknown>>>) {
  const calls: Array<[string, unknown]> = [];
  const transport: Transport = {
    async call(name, request) {
      calls.push([name, request]);
      const answer = answers[name];
      return answer ? answer(request) : refusal('UNKNOWN_METHOD', name);
    },
    subscribe: async () => ok(() => undefined),
  };
  return { transport, calls, names: () => calls.map(([name]) => name) };
}

const deploying = (apps: AppSummary[], extra: Parameters<typeof fakeEngine>[0] = {}) =>
  fakeEngine({
    'engine.status': () => ok(status(apps.filter((a) => a.activeDeployment).length)),
    'apps.list': () => ok(apps),
    'apps.cleanQueue': () => ok({ dropped: [] }),
    'apps.cancel': () => ok({}),
    ...extra,
  });

/** A message box that answers with the button of the given label. */
const answering = (label: string) =>
  vi.fn(async (options: { buttons?: string[] }) => ({ response: options.buttons!.indexOf(label) }));

describe('busyApps', () => {
  it('names the apps with a deployment running or waiting', () => {
    expect(busyApps([summary('shop', true), summary('blog', false), summary('wiki', true)])).toEqual(['shop', 'wiki']);
  });
});

describe('decideWindowClose', () => {
  it('closes without asking when nothing is in flight', async () => {
    const engine = fakeEngine({ 'engine.status': () => ok(status(0)) });
    const showMessageBox = vi.fn();
    await expect(decideWindowClose({ transport: engine.transport, showMessageBox })).resolves.toBe('close');
    expect(showMessageBox).not.toHaveBeenCalled();
    expect(engine.names()).toEqual(['engine.status']);
  });

  it('closes without asking when the engine does not answer', async () => {
    const engine = fakeEngine({ 'engine.status': () => refusal('ENGINE_UNREACHABLE', 'no engine') });
    const showMessageBox = vi.fn();
    await expect(decideWindowClose({ transport: engine.transport, showMessageBox })).resolves.toBe('close');
    expect(showMessageBox).not.toHaveBeenCalled();
  });

  it('closes without asking when the engine takes too long to answer', async () => {
    const engine = fakeEngine({ 'engine.status': () => new Promise<never>(() => {}) });
    const showMessageBox = vi.fn();
    await expect(decideWindowClose({ transport: engine.transport, showMessageBox, statusTimeoutMs: 5 })).resolves.toBe(
      'close',
    );
    expect(showMessageBox).not.toHaveBeenCalled();
  });

  it('closes without asking when the deployments ended before the apps were listed', async () => {
    const engine = fakeEngine({
      'engine.status': () => ok(status(1)),
      'apps.list': () => ok([summary('shop', false)]),
    });
    const showMessageBox = vi.fn();
    await expect(decideWindowClose({ transport: engine.transport, showMessageBox })).resolves.toBe('close');
    expect(showMessageBox).not.toHaveBeenCalled();
  });

  it('names the deploying apps and, on "keep", closes without canceling anything', async () => {
    const engine = deploying([summary('shop', true), summary('docs', false), summary('blog', true)]);
    const showMessageBox = answering(KEEP_BUTTON);
    await expect(decideWindowClose({ transport: engine.transport, showMessageBox })).resolves.toBe('close');
    expect(showMessageBox).toHaveBeenCalledExactlyOnceWith(
      expect.objectContaining({
        message: 'Slipway keeps deploying shop, blog in the background',
        detail: expect.stringContaining('slipway apps logs APP --type build --follow'),
        buttons: [KEEP_BUTTON, CANCEL_BUTTON, STAY_BUTTON],
        defaultId: 0,
        cancelId: 2,
      }),
    );
    expect(showMessageBox.mock.calls[0]![0]).toMatchObject({ detail: expect.stringContaining('run to their end') });
    expect(engine.names()).toEqual(['engine.status', 'apps.list']);
  });

  it('shows the follow command for the one app that deploys', async () => {
    const engine = deploying([summary('shop', true)]);
    const showMessageBox = answering(KEEP_BUTTON);
    await decideWindowClose({ transport: engine.transport, showMessageBox });
    expect(showMessageBox.mock.calls[0]![0]).toMatchObject({
      message: 'Slipway keeps deploying shop in the background',
      detail: expect.stringContaining('slipway apps logs shop --type build --follow'),
    });
  });

  it('on "cancel", empties the queue and then cancels the running deployment of each busy app, then closes', async () => {
    const engine = deploying([summary('shop', true), summary('docs', false), summary('blog', true)]);
    const onError = vi.fn();
    await expect(
      decideWindowClose({ transport: engine.transport, showMessageBox: answering(CANCEL_BUTTON), onError }),
    ).resolves.toBe('close');
    const asked = engine.calls.filter(([name]) => name === 'apps.cleanQueue' || name === 'apps.cancel');
    expect(asked).toHaveLength(4);
    for (const app of ['shop', 'blog']) {
      expect(asked.filter(([, request]) => (request as { app: string }).app === app)).toEqual([
        ['apps.cleanQueue', { app, by: 'desktop' }],
        ['apps.cancel', { app, by: 'desktop' }],
      ]);
    }
    expect(onError).not.toHaveBeenCalled();
  });

  it('on "cancel", takes a deployment that already ended as done and reports any other refusal', async () => {
    const engine = deploying([summary('shop', true), summary('blog', true)], {
      'apps.cancel': (request) =>
        (request as { app: string }).app === 'shop'
          ? refusal('NOTHING_RUNNING', 'shop has no deployment in flight.')
          : refusal('ENGINE_UNREACHABLE', 'The engine went away.'),
    });
    const onError = vi.fn();
    await expect(
      decideWindowClose({ transport: engine.transport, showMessageBox: answering(CANCEL_BUTTON), onError }),
    ).resolves.toBe('close');
    expect(onError).toHaveBeenCalledExactlyOnceWith(
      'Slipway could not cancel the deployment of blog:',
      expect.objectContaining({ code: 'ENGINE_UNREACHABLE' }),
    );
  });

  it('on "stay", keeps the window open and cancels nothing', async () => {
    const engine = deploying([summary('shop', true)]);
    await expect(
      decideWindowClose({ transport: engine.transport, showMessageBox: answering(STAY_BUTTON) }),
    ).resolves.toBe('stay');
    expect(engine.names()).toEqual(['engine.status', 'apps.list']);
  });

  it('offers only to keep deploying or stay when the apps cannot be listed', async () => {
    const engine = fakeEngine({
      'engine.status': () => ok(status(2)),
      'apps.list': () => refusal('INTERNAL', 'state unreadable'),
    });
    const showMessageBox = vi.fn(async () => ({ response: 1 }));
    await expect(decideWindowClose({ transport: engine.transport, showMessageBox })).resolves.toBe('stay');
    expect(showMessageBox).toHaveBeenCalledExactlyOnceWith(
      expect.objectContaining({
        message: 'Slipway keeps deploying in the background',
        buttons: [KEEP_BUTTON, STAY_BUTTON],
        cancelId: 1,
      }),
    );
  });
});

class FakeWindow extends EventEmitter {
  destroyed = false;
  isDestroyed = () => this.destroyed;
  /** Like Electron: a close emits 'close', and the window goes unless a listener prevented it. */
  close = vi.fn(() => this.tryClose());
  tryClose() {
    const event = { preventDefault: vi.fn() };
    this.emit('close', event);
    if (event.preventDefault.mock.calls.length === 0) this.destroyed = true;
    return event;
  }
}

/** A decision the test settles when it likes. */
function pendingDecision() {
  let settle!: (decision: CloseDecision) => void;
  const promise = new Promise<CloseDecision>((resolve) => (settle = resolve));
  return { promise, settle };
}

describe('guardWindowClose', () => {
  it('holds the close at once and closes for real once allowed', async () => {
    const window = new FakeWindow();
    const decision = pendingDecision();
    const onDecided = vi.fn();
    guardWindowClose(window, () => decision.promise, onDecided);

    const event = window.tryClose();
    expect(event.preventDefault).toHaveBeenCalledOnce();
    expect(window.close).not.toHaveBeenCalled();

    decision.settle('close');
    await expect.poll(() => onDecided.mock.calls).toEqual([['close']]);
    expect(window.close).toHaveBeenCalledOnce();
    expect(window.destroyed).toBe(true);
  });

  it('asks once while a decision is pending, however often the window is closed', async () => {
    const window = new FakeWindow();
    const decision = pendingDecision();
    const decide = vi.fn(() => decision.promise);
    const onDecided = vi.fn();
    guardWindowClose(window, decide, onDecided);

    window.tryClose();
    const impatient = window.tryClose();
    expect(impatient.preventDefault).toHaveBeenCalledOnce();
    expect(decide).toHaveBeenCalledOnce();

    decision.settle('close');
    await expect.poll(() => onDecided).toHaveBeenCalledOnce();
    expect(window.destroyed).toBe(true);
  });

  it('stays open on "stay" and asks again at the next close', async () => {
    const window = new FakeWindow();
    const decide = vi.fn<() => Promise<CloseDecision>>().mockResolvedValueOnce('stay').mockResolvedValueOnce('close');
    const onDecided = vi.fn();
    guardWindowClose(window, decide, onDecided);

    window.tryClose();
    await expect.poll(() => onDecided.mock.calls).toEqual([['stay']]);
    expect(window.close).not.toHaveBeenCalled();
    expect(window.destroyed).toBe(false);

    window.tryClose();
    await expect.poll(() => onDecided.mock.calls).toEqual([['stay'], ['close']]);
    expect(decide).toHaveBeenCalledTimes(2);
    expect(window.destroyed).toBe(true);
  });

  it('closes when the decision itself fails', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const window = new FakeWindow();
    const onDecided = vi.fn();
    guardWindowClose(window, () => Promise.reject(new Error('relay closed')), onDecided);
    window.tryClose();
    await expect.poll(() => onDecided.mock.calls).toEqual([['close']]);
    expect(window.destroyed).toBe(true);
  });

  it('does not close a window that went away meanwhile', async () => {
    const window = new FakeWindow();
    const decision = pendingDecision();
    const onDecided = vi.fn();
    guardWindowClose(window, () => decision.promise, onDecided);
    window.tryClose();
    window.destroyed = true;
    decision.settle('close');
    await expect.poll(() => onDecided.mock.calls).toEqual([['close']]);
    expect(window.close).not.toHaveBeenCalled();
  });
});
