/** How often, and for how long, an engine that went away is asked whether it is back. */
export const WHEN_BACK_EVERY_MS = 2000;
export const WHEN_BACK_FOR_MS = 15 * 60_000;

/**
 * Runs `then` once `answers` says yes, asking every few seconds for a bounded
 * time; one wait per key at a time (a second ask while one waits joins it).
 * `stop` ends every wait.
 */
export class WhenBack {
  private readonly waiting = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly everyMs = WHEN_BACK_EVERY_MS,
    private readonly forMs = WHEN_BACK_FOR_MS,
  ) {}

  wait(key: string, answers: () => Promise<boolean>, then: () => Promise<void>): void {
    if (this.waiting.has(key)) return;
    const until = Date.now() + this.forMs;
    const tick = async () => {
      const back = await answers().catch(() => false);
      if (!this.waiting.has(key)) return;
      if (!back && Date.now() < until) return void this.waiting.set(key, later());
      this.waiting.delete(key);
      if (back) await then().catch(() => undefined);
    };
    const later = () => {
      const timer = setTimeout(() => void tick(), this.everyMs);
      timer.unref();
      return timer;
    };
    this.waiting.set(key, later());
  }

  stop(): void {
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
  }
}
