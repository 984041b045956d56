import { describe, expect, it } from 'vitest';
import { portUrl, publisherConfig } from './edge-port-publisher';

describe("an app's port publisher", () => {
  it('passes its port to the edge by name, with no admin API of its own', () => {
    const config = publisherConfig(10_003);
    expect(config.admin).toEqual({ disabled: true });
    const server = config.apps!.http!.servers!.publish!;
    expect(server.listen).toEqual([':10003']);
    expect(server.routes[0]!.handle[0]).toMatchObject({
      handler: 'reverse_proxy',
      upstreams: [{ dial: 'slipway-edge:10003' }],
    });
  });

  it("is reached at the bound address, or at the server's own when bound to every address", () => {
    expect(portUrl('127.0.0.1', 'srv.example.com', 10_000)).toBe('http://127.0.0.1:10000');
    expect(portUrl('0.0.0.0', 'srv.example.com', 10_000)).toBe('http://srv.example.com:10000');
    expect(portUrl('::', '2001:db8::7', 10_001)).toBe('http://[2001:db8::7]:10001');
  });
});
