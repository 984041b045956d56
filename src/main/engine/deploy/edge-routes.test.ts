import type { Duplex } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { endpointOf, routeKey, upstreamsFor } from './edge-routes';

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

describe('endpointOf', () => {
  it("records the server edge's public URLs on the endpoint that serves them, and none elsewhere", () => {
    expect(endpointOf('web', 41000, ['https://shop.example.test:8443'])).toEqual({
      component: 'web',
      hostPort: 41000,
      url: 'http://127.0.0.1:41000',
      publicUrls: ['https://shop.example.test:8443'],
    });
    expect(endpointOf('api', 41001, [])).not.toHaveProperty('publicUrls');
  });
});
