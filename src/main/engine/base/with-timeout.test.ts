import { describe, expect, it, vi } from 'vitest';
import { withTimeout } from './with-timeout';

describe('withTimeout', () => {
  it('gives the value when it comes in time', async () => {
    await expect(withTimeout(Promise.resolve(7), 1_000)).resolves.toBe(7);
  });

  it('rejects with the given error when time runs out, and releases a value that comes later', async () => {
    vi.useFakeTimers();
    try {
      let arrive: (v: { closed: boolean }) => void = () => undefined;
      const connection = { closed: false };
      const late = vi.fn((c: { closed: boolean }) => (c.closed = true));
      const waiting = withTimeout(new Promise<{ closed: boolean }>((resolve) => (arrive = resolve)), 100, {
        error: () => new Error('too slow'),
        late,
      });
      const failed = expect(waiting).rejects.toThrow('too slow');
      await vi.advanceTimersByTimeAsync(100);
      await failed;
      arrive(connection);
      await vi.advanceTimersByTimeAsync(0);
      expect(late).toHaveBeenCalledWith(connection);
      expect(connection.closed).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
