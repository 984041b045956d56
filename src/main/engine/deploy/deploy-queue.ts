/** Why a running deployment was stopped: canceled by a user, its build killed, or Slipway shutting down. */
export class DeploymentStop extends Error {
  constructor(
    readonly kind: 'cancel' | 'kill' | 'shutdown',
    readonly by: string,
  ) {
    super(kind === 'cancel' ? 'canceled' : kind === 'kill' ? 'build killed' : 'Slipway is shutting down');
  }
}

/**
 * One deployment in flight per app; the rest wait in order. Apps do not wait
 * for each other.
 */
export class DeployQueue {
  private readonly lanes = new Map<
    string,
    { running: { id: string; controller: AbortController } | null; waiting: string[] }
  >();

  constructor(private readonly run: (app: string, deploymentId: string, signal: AbortSignal) => Promise<void>) {}

  private lane(app: string) {
    let lane = this.lanes.get(app);
    if (!lane) {
      lane = { running: null, waiting: [] };
      this.lanes.set(app, lane);
    }
    return lane;
  }

  /** Adds a deployment at the end of its app's line and starts it when the app is free. */
  enqueue(app: string, deploymentId: string): void {
    this.lane(app).waiting.push(deploymentId);
    this.pump(app);
  }

  /** The deployment running for an app, if any. */
  running(app: string): string | null {
    return this.lanes.get(app)?.running?.id ?? null;
  }

  /** The deployments waiting for an app, first to run first. */
  waiting(app: string): string[] {
    return [...(this.lanes.get(app)?.waiting ?? [])];
  }

  /** Stops the running deployment of an app; returns its id, or null when none runs. */
  stopRunning(app: string, stop: DeploymentStop): string | null {
    const running = this.lanes.get(app)?.running;
    if (!running) return null;
    running.controller.abort(stop);
    return running.id;
  }

  /** Drops an app's waiting deployments (not the running one); returns their ids. */
  clearWaiting(app: string): string[] {
    const lane = this.lanes.get(app);
    if (!lane) return [];
    const dropped = lane.waiting;
    lane.waiting = [];
    return dropped;
  }

  /** The apps with a deployment running or waiting. */
  busyApps(): string[] {
    return [...this.lanes].filter(([, lane]) => lane.running || lane.waiting.length > 0).map(([app]) => app);
  }

  /** How many deployments are running or waiting, over every app. */
  inFlight(): number {
    let count = 0;
    for (const lane of this.lanes.values()) count += (lane.running ? 1 : 0) + lane.waiting.length;
    return count;
  }

  /** Resolves when a deployment is no longer running (it has ended, or never started). */
  async settled(app: string, deploymentId: string): Promise<void> {
    while (this.lanes.get(app)?.running?.id === deploymentId) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Resolves when an app has nothing running and nothing waiting. */
  async idle(app: string): Promise<void> {
    while (this.lanes.get(app)?.running || this.lanes.get(app)?.waiting.length) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Aborts everything and waits for the running deployments to end. */
  async close(): Promise<void> {
    for (const [app, lane] of this.lanes) {
      lane.waiting = [];
      this.stopRunning(app, new DeploymentStop('shutdown', 'slipway'));
    }
    await Promise.all([...this.lanes.keys()].map((app) => this.idle(app)));
  }

  private pump(app: string): void {
    const lane = this.lane(app);
    if (lane.running) return;
    const next = lane.waiting.shift();
    if (!next) return;
    const controller = new AbortController();
    lane.running = { id: next, controller };
    void this.run(app, next, controller.signal).finally(() => {
      lane.running = null;
      this.pump(app);
    });
  }
}
