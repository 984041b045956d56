/** Lines per event at most: a flood goes out as many modest events, each a cheap copy over IPC, never one huge one. */
export const MAX_BATCH_LINES = 2_000;
/** How long a line waits for company before it is sent. */
export const BATCH_DELAY_MS = 50;

export interface LineBatcher<T> {
  push(item: T): void;
  /** Sends what waits now. */
  flush(): void;
}

/**
 * Gathers lines into batches for a live stream: a batch goes out 50 ms after
 * its first line, or at once when it holds `maxLines`. The cap does not rely
 * on the timer: a flood that keeps the engine busy would never let the timer
 * fire, and the batch would grow without bound.
 */
export function createLineBatcher<T>(
  emit: (items: T[]) => void,
  options: { maxLines?: number; delayMs?: number } = {},
): LineBatcher<T> {
  const maxLines = options.maxLines ?? MAX_BATCH_LINES;
  const delayMs = options.delayMs ?? BATCH_DELAY_MS;
  let batch: T[] = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (batch.length === 0) return;
    const out = batch;
    batch = [];
    emit(out);
  };
  return {
    push(item) {
      batch.push(item);
      if (batch.length >= maxLines) flush();
      else timer ??= setTimeout(flush, delayMs);
    },
    flush,
  };
}
