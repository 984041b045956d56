import type { Readable } from 'node:stream';
import { LABELS } from '../../../shared/labels';
import type { DockerHost } from '../hosts/docker-host';
import { isConnectionError } from '../docker/docker-errors';
import { jsonLineSplitter } from '../docker/json-lines';

interface DockerEvent {
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

const RECONNECT_EVERY_MS = 2000;

/**
 * Follows the engine's events for Slipway's containers, so app status tells
 * what Docker says (a container stopped by hand shows at once). When the
 * stream breaks (the engine restarted, the connection dropped), it retries,
 * and says so once it is back: that is when the records are reconciled.
 */
export class ContainerWatch {
  private readonly running = new Map<string, boolean>();
  private stream: Readable | null = null;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly host: DockerHost,
    private readonly onChange: (app: string) => void,
    private readonly onReconnect: () => Promise<void>,
    private readonly onLost: () => void = () => undefined,
  ) {}

  /** False while the engine's event stream is down: what its containers do is not known then. */
  get connected(): boolean {
    return this.stream !== null;
  }

  /** False only when the engine last reported the container stopped or gone. */
  isRunning(containerId: string): boolean {
    return this.running.get(containerId) ?? true;
  }

  /** Records what an inspection found (reconciliation does this for the live containers). */
  setRunning(containerId: string, running: boolean): void {
    this.running.set(containerId, running);
  }

  /** Starts following; an engine that does not answer yet is tried again until it does, then reconciled. */
  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      this.retry();
    }
  }

  private async connect(): Promise<void> {
    const stream = (await this.host.docker.getEvents({
      filters: { type: ['container'], label: [`${LABELS.managed}=true`] },
    })) as Readable;
    this.stream = stream;
    stream.on(
      'data',
      jsonLineSplitter((raw) => {
        const event = raw as DockerEvent;
        const id = event.Actor?.ID;
        const app = event.Actor?.Attributes?.[LABELS.app];
        if (!id || !app) return;
        if (event.Action === 'start' || event.Action === 'unpause') this.running.set(id, true);
        else if (['die', 'stop', 'kill', 'pause', 'oom'].includes(event.Action ?? '')) this.running.set(id, false);
        else if (event.Action === 'destroy') this.running.set(id, false);
        else return;
        this.onChange(app);
      }),
    );
    const lost = () => {
      if (this.stream !== stream || this.stopped) return;
      this.stream = null;
      this.onLost();
      this.retry();
    };
    stream.on('end', lost);
    stream.on('error', lost);
    stream.on('close', lost);
  }

  private retry(): void {
    this.timer = setTimeout(async () => {
      if (this.stopped) return;
      try {
        await this.host.docker.ping();
        await this.connect();
        await this.onReconnect();
      } catch {
        this.retry();
      }
    }, RECONNECT_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.stream?.destroy();
    this.stream = null;
  }
}
