/** Delay before reconnect attempt `n` (0-based): doubling from 1 s to a minute, with ±20% jitter so servers do not retry in step. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(60_000, 1000 * 2 ** Math.min(attempt, 6));
  return Math.round(base * (0.8 + 0.4 * random()));
}
