import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SlipwayError } from '../../../shared/errors';
import type { SshDockerHost } from '../hosts/ssh-docker-host';
import type { ServerRecord } from '../store/state-store';
import { ConnectionPool, type ConnectionPoolOptions } from './connection-pool';

const record = (name: string) => ({ name }) as ServerRecord;

/** A connection the test can drop. */
function fakeConnection() {
  let drop!: () => void;
  const closed = new Promise<void>((resolve) => (drop = resolve));
  const host = { closed, close: vi.fn(async () => drop()) } as unknown as SshDockerHost & {
    close: ReturnType<typeof vi.fn>;
  };
  return { host, drop };
}

const unreachable = () => new SlipwayError('SSH_UNREACHABLE', 'connect ECONNREFUSED');

/** Doubling from 100 ms, without jitter. */
const delay = (attempt: number) => 100 * 2 ** attempt;

function makePool() {
  const records = new Map([['web', record('web')]]);
  const options = {
    record: (name: string) => {
      const found = records.get(name);
      if (!found) throw new SlipwayError('SERVER_NOT_FOUND', `There is no server named ${name}.`);
      return found;
    },
    find: (name: string) => records.get(name),
    connect: vi.fn<ConnectionPoolOptions['connect']>(),
    onLost: vi.fn<ConnectionPoolOptions['onLost']>(),
    onBack: vi.fn<ConnectionPoolOptions['onBack']>(async () => undefined),
    delay,
  };
  return { pool: new ConnectionPool(options), options, records };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ConnectionPool.host', () => {
  it('opens one connection per server and reuses it', async () => {
    const { pool, options } = makePool();
    const { host } = fakeConnection();
    options.connect.mockResolvedValue(host);
    const [a, b] = await Promise.all([pool.host('web'), pool.host('web')]);
    expect(a).toBe(host);
    expect(b).toBe(host);
    expect(await pool.host('web')).toBe(host);
    expect(options.connect).toHaveBeenCalledTimes(1);
  });

  it('throws at once for a server it has no record of', () => {
    const { pool } = makePool();
    expect(() => pool.host('gone')).toThrow(/no server named gone/);
  });

  it('turns a plain error into SSH_UNREACHABLE', async () => {
    const { pool, options } = makePool();
    options.connect.mockRejectedValue(new Error('getaddrinfo ENOTFOUND'));
    await expect(pool.host('web')).rejects.toMatchObject({ code: 'SSH_UNREACHABLE', message: 'getaddrinfo ENOTFOUND' });
  });

  it('makes an unreachable server wait out its backoff before it is tried again', async () => {
    const { pool, options } = makePool();
    options.connect.mockRejectedValueOnce(unreachable()).mockRejectedValueOnce(unreachable());
    await expect(pool.host('web')).rejects.toMatchObject({ code: 'SSH_UNREACHABLE' });
    vi.advanceTimersByTime(99);
    await expect(pool.host('web')).rejects.toMatchObject({ code: 'SSH_UNREACHABLE' });
    expect(options.connect).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    await expect(pool.host('web')).rejects.toMatchObject({ code: 'SSH_UNREACHABLE' });
    expect(options.connect).toHaveBeenCalledTimes(2);
    // The second failure waits delay(1).
    vi.advanceTimersByTime(199);
    await expect(pool.host('web')).rejects.toMatchObject({ code: 'SSH_UNREACHABLE' });
    expect(options.connect).toHaveBeenCalledTimes(2);
    const { host } = fakeConnection();
    options.connect.mockResolvedValue(host);
    vi.advanceTimersByTime(1);
    expect(await pool.host('web')).toBe(host);
  });

  it('never retries wrong credentials or keys by itself, until the failure is forgotten', async () => {
    const { pool, options } = makePool();
    const refused = new SlipwayError('SSH_AUTH_FAILED', 'All configured authentication methods failed');
    options.connect.mockRejectedValueOnce(refused);
    await expect(pool.host('web')).rejects.toBe(refused);
    vi.advanceTimersByTime(3_600_000);
    await expect(pool.host('web')).rejects.toBe(refused);
    expect(options.connect).toHaveBeenCalledTimes(1);
    const { host } = fakeConnection();
    options.connect.mockResolvedValue(host);
    pool.forgetFailure('web');
    expect(await pool.host('web')).toBe(host);
  });
});

describe('ConnectionPool reconnection', () => {
  it('tells a dropped connection, then opens it again after delay(0) and tells it is back', async () => {
    const { pool, options } = makePool();
    const first = fakeConnection();
    const second = fakeConnection();
    options.connect.mockResolvedValueOnce(first.host).mockResolvedValueOnce(second.host);
    await pool.host('web');
    first.drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(options.onLost).toHaveBeenCalledWith(record('web'));
    expect(options.connect).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(options.connect).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(options.connect).toHaveBeenCalledTimes(2);
    expect(options.onBack).toHaveBeenCalledWith(record('web'));
    expect(await pool.host('web')).toBe(second.host);
  });

  it('waits longer after each unreachable try, following the backoff', async () => {
    const { pool, options } = makePool();
    const first = fakeConnection();
    options.connect.mockResolvedValueOnce(first.host);
    await pool.host('web');
    first.drop();
    const tries: number[] = [];
    options.connect.mockImplementation(() => {
      tries.push(Date.now());
      return Promise.reject(unreachable());
    });
    const start = Date.now();
    await vi.advanceTimersByTimeAsync(100 + 200 + 400 + 800);
    expect(tries.map((t) => t - start)).toEqual([100, 300, 700, 1500]);
    expect(options.onBack).not.toHaveBeenCalled();
    await pool.close();
  });

  it('stops reconnecting on an authentication or host-key failure', async () => {
    const { pool, options } = makePool();
    const first = fakeConnection();
    options.connect.mockResolvedValueOnce(first.host);
    await pool.host('web');
    options.connect.mockRejectedValue(new SlipwayError('HOST_KEY_MISMATCH', 'changed'));
    first.drop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(options.connect).toHaveBeenCalledTimes(2);
    expect(options.onBack).not.toHaveBeenCalled();
  });

  it('does not reconnect a server removed meanwhile', async () => {
    const { pool, options, records } = makePool();
    const first = fakeConnection();
    options.connect.mockResolvedValueOnce(first.host);
    await pool.host('web');
    first.drop();
    await vi.advanceTimersByTimeAsync(0);
    records.delete('web');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(options.connect).toHaveBeenCalledTimes(1);
  });

  it('does not treat a connection closed on purpose as lost', async () => {
    const { pool, options } = makePool();
    const first = fakeConnection();
    options.connect.mockResolvedValueOnce(first.host);
    await pool.host('web');
    await pool.disconnect('web');
    expect(first.host.close).toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(options.onLost).not.toHaveBeenCalled();
    expect(options.connect).toHaveBeenCalledTimes(1);
  });

  it('cancels a scheduled reconnection on close', async () => {
    const { pool, options } = makePool();
    const first = fakeConnection();
    options.connect.mockResolvedValueOnce(first.host);
    await pool.host('web');
    first.drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(options.onLost).toHaveBeenCalled();
    await pool.close();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(options.connect).toHaveBeenCalledTimes(1);
  });
});
