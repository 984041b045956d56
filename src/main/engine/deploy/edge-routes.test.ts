import type { Duplex } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { routeKey, upstreamsFor } from './edge-routes';

describe('edge routes', () => {
  it('name a route by app and service', () => {
    expect(routeKey('shop', 'web')).toBe('shop/web');
  });

  it("put each published port behind the route, reached over the host's loopback, and skip instances without one", async () => {
    const stream = {} as Duplex;
    const host = { connectLoopback: vi.fn(async () => stream) };
    const upstreams = upstreamsFor(host, [32001, undefined, null, 32002]);
    expect(upstreams.map((u) => u.port)).toEqual([32001, 32002]);
    expect(host.connectLoopback).not.toHaveBeenCalled();
    expect(await upstreams[1]!.connect()).toBe(stream);
    expect(host.connectLoopback).toHaveBeenCalledWith(32002);
  });
});
