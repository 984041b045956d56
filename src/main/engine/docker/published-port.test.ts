import { describe, expect, it } from 'vitest';
import { publishedPort } from './published-port';

const inspected = (Ports: Record<string, Array<{ HostIp: string; HostPort: string }> | null>) =>
  ({ NetworkSettings: { Ports } }) as never;

describe('publishedPort', () => {
  it('reads the host port of a published container port, or the first bound one', () => {
    const info = inspected({ '9000/tcp': null, '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '41035' }] });
    expect(publishedPort(info, '8080/tcp')).toBe(41035);
    expect(publishedPort(info)).toBe(41035);
  });

  it('is null for a container that publishes nothing, or that could not be inspected', () => {
    expect(publishedPort(inspected({ '8080/tcp': null }), '8080/tcp')).toBeNull();
    expect(publishedPort(inspected({}))).toBeNull();
    expect(publishedPort(null)).toBeNull();
  });
});
