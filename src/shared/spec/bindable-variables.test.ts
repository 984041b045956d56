import { describe, expect, it } from 'vitest';
import { parseReference, resolveBindables, type BindableContext } from './bindable-variables';

const context: BindableContext = {
  appName: 'shop',
  self: 'web',
  components: new Map([
    ['web', { httpPort: 3000 }],
    ['api', { httpPort: 8000 }],
    ['queue', { httpPort: null }],
  ]),
};

describe('resolveBindables', () => {
  it('resolves the app name and component names', () => {
    expect(resolveBindables('${APP_NAME}/${_self.NAME}/${api.NAME}', context)).toEqual({
      value: 'shop/web/api',
      unresolved: [],
    });
  });

  it('resolves private hostnames, ports and URLs on the Docker network', () => {
    expect(resolveBindables('${api.HOSTNAME} ${api.PRIVATE_DOMAIN}:${api.PRIVATE_PORT}', context).value).toBe(
      'api api:8000',
    );
    expect(resolveBindables('${api.PRIVATE_URL}/v1', context).value).toBe('http://api:8000/v1');
    expect(resolveBindables('${_self.PRIVATE_URL}', context).value).toBe('http://web:3000');
  });

  it('leaves deploy-time variables untouched and does not report them', () => {
    const value = '${APP_URL} ${APP_DOMAIN} ${_self.URL} ${api.PUBLIC_URL}';
    expect(resolveBindables(value, context)).toEqual({ value, unresolved: [] });
  });

  it('resolves deploy-time variables when the deploy supplies them', () => {
    const deploy = {
      ...context,
      appUrl: 'http://203.0.113.7:49153',
      publicUrls: new Map([
        ['web', 'http://203.0.113.7:49153'],
        ['api', 'http://203.0.113.7:49154'],
      ]),
    };
    expect(resolveBindables('${APP_URL}|${APP_DOMAIN}|${_self.URL}|${api.PUBLIC_URL}', deploy).value).toBe(
      'http://203.0.113.7:49153|203.0.113.7|http://203.0.113.7:49153|http://203.0.113.7:49154',
    );
    expect(resolveBindables('${APP_DOMAIN}', { ...context, appDomain: 'shop.example' }).value).toBe('shop.example');
  });

  it('keeps and reports references to things Slipway does not run, once each', () => {
    const value = 'postgres://${db.USERNAME}@${db.HOSTNAME}/${db.USERNAME}?x=${SOMETHING}';
    expect(resolveBindables(value, context)).toEqual({
      value,
      unresolved: ['db.USERNAME', 'db.HOSTNAME', 'SOMETHING'],
    });
  });

  it('reports variables a component does not have', () => {
    expect(resolveBindables('${_self.COMMIT_HASH}', context).unresolved).toEqual(['_self.COMMIT_HASH']);
    expect(resolveBindables('${queue.PRIVATE_URL} ${queue.PUBLIC_URL}', context).unresolved).toEqual([
      'queue.PRIVATE_URL',
      'queue.PUBLIC_URL',
    ]);
    expect(resolveBindables('${queue.HOSTNAME}', context).value).toBe('queue');
  });

  it('does not rescan what it substituted, so resolving twice changes nothing', () => {
    const once = resolveBindables('${api.PRIVATE_URL} ${db.URL}', context);
    expect(resolveBindables(once.value, context)).toEqual(once);
  });

  it('is not fooled by names of Object.prototype', () => {
    expect(resolveBindables('${constructor.NAME} ${toString.HOSTNAME}', context).unresolved).toEqual([
      'constructor.NAME',
      'toString.HOSTNAME',
    ]);
  });

  it('leaves text that only looks like a variable alone', () => {
    expect(resolveBindables('$HOME ${} ${a b} ${a.b.c} $${APP_NAME}', context)).toEqual({
      value: '$HOME ${} ${a b} ${a.b.c} $shop',
      unresolved: ['', 'a.b.c'],
    });
  });
});

describe('parseReference', () => {
  it('splits a scope from a name', () => {
    expect(parseReference('db.DATABASE_URL')).toEqual({ scope: 'db', name: 'DATABASE_URL' });
    expect(parseReference('APP_URL')).toEqual({ scope: null, name: 'APP_URL' });
    expect(parseReference('a.b.c')).toBeNull();
  });
});
