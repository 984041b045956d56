import { describe, expect, it } from 'vitest';
import { contentHash, filesChanged } from './digest-map';

describe('filesChanged', () => {
  it('is unknown without a previous map', () => {
    expect(filesChanged(null, { a: '1' })).toBeNull();
  });

  it('counts files changed, added and removed, each once', () => {
    const before = { 'site/index.html': '1', Dockerfile: '2', 'site/old.css': '3' };
    expect(filesChanged(before, { ...before })).toBe(0);
    expect(filesChanged(before, { ...before, 'site/index.html': '9' })).toBe(1);
    expect(filesChanged(before, { 'site/index.html': '9', Dockerfile: '2', 'site/new.css': '4' })).toBe(3);
    expect(filesChanged({}, { a: '1', b: '2' })).toBe(2);
  });
});

describe('contentHash', () => {
  it('depends on paths and contents, not on the order they were read', () => {
    const a = contentHash({ x: '1', y: '2' });
    expect(contentHash({ y: '2', x: '1' })).toBe(a);
    expect(contentHash({ x: '1', y: '3' })).not.toBe(a);
    expect(contentHash({ x: '1', z: '2' })).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});
