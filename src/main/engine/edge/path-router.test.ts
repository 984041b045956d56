import { describe, expect, it } from 'vitest';
import { matchPath, type PathTarget } from './path-router';

const targets: PathTarget[] = [
  { prefix: '/', port: 20001, preservePathPrefix: false },
  { prefix: '/api', port: 20002, preservePathPrefix: false },
  { prefix: '/api/v2', port: 20003, preservePathPrefix: true },
];

describe('matching a request path to a component', () => {
  it('takes the longest prefix and cuts it off, keeping the query', () => {
    expect(matchPath(targets, '/api/users?page=2')).toEqual({ target: targets[1], url: '/users?page=2' });
    expect(matchPath(targets, '/api')).toEqual({ target: targets[1], url: '/' });
    expect(matchPath(targets, '/api?x=1')).toEqual({ target: targets[1], url: '/?x=1' });
    expect(matchPath(targets, '/api/v2/items')).toEqual({ target: targets[2], url: '/api/v2/items' });
  });

  it('never puts /apiary under /api, and sends the rest to /', () => {
    expect(matchPath(targets, '/apiary')).toEqual({ target: targets[0], url: '/apiary' });
    expect(matchPath(targets, '/')).toEqual({ target: targets[0], url: '/' });
  });

  it('finds nothing for a path no prefix holds', () => {
    expect(matchPath(targets.slice(1), '/index.html')).toBeNull();
  });
});
