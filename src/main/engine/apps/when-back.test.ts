import { afterEach, describe, expect, it, vi } from 'vitest';
import { WhenBack } from './when-back';

describe('WhenBack', () => {
  afterEach(() => void vi.useRealTimers());

  it('runs once the engine answers, and joins a second ask to the wait under way', async () => {
    vi.useFakeTimers();
    const waits = new WhenBack(1000, 60_000);
    let up = false;
    const answers = vi.fn(async () => up);
    const then = vi.fn(async () => undefined);
    waits.wait('srv', answers, then);
    waits.wait('srv', answers, then);
    await vi.advanceTimersByTimeAsync(3000);
    expect(answers).toHaveBeenCalledTimes(3);
    expect(then).not.toHaveBeenCalled();
    up = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(then).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(answers).toHaveBeenCalledTimes(4);
  });

  it('gives up after its bound, and stop ends every wait', async () => {
    vi.useFakeTimers();
    const waits = new WhenBack(1000, 2500);
    const then = vi.fn(async () => undefined);
    const answers = vi.fn(async () => false);
    waits.wait('srv', answers, then);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(answers).toHaveBeenCalledTimes(3);
    waits.wait('other', answers, then);
    waits.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(answers).toHaveBeenCalledTimes(3);
    expect(then).not.toHaveBeenCalled();
  });
});
