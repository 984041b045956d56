import { describe, expect, it } from 'vitest';
import { appRecord } from './fake-engine.test-support';
import { checkHostPorts } from './host-ports';

const apps = [appRecord('shop', 'name: shop', { web: 41000 }), appRecord('blog', 'name: blog', { web: 41001 })];

describe('checkHostPorts', () => {
  it('takes free ports, and ports the app holds itself', () => {
    expect(() => checkHostPorts(apps, 'shop', ['web', 'api'], { web: 41000, api: 41002 })).not.toThrow();
    expect(() => checkHostPorts(apps, 'new', ['web'], {})).not.toThrow();
  });

  it('refuses a component the spec does not have', () => {
    expect(() => checkHostPorts(apps, 'shop', ['web'], { admin: 41005 })).toThrow(
      expect.objectContaining({
        code: 'INVALID_REQUEST',
        message: 'hostPorts.admin: the spec has no component admin.',
      }),
    );
  });

  it('refuses a port another app holds', () => {
    expect(() => checkHostPorts(apps, 'shop', ['web'], { web: 41001 })).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST', message: 'hostPorts.web: port 41001 is used by app blog.' }),
    );
  });

  it('refuses one port for two components', () => {
    expect(() => checkHostPorts(apps, 'shop', ['web', 'api'], { web: 41003, api: 41003 })).toThrow(
      expect.objectContaining({
        code: 'INVALID_REQUEST',
        message: 'hostPorts.api: port 41003 is given to web already.',
      }),
    );
  });
});
