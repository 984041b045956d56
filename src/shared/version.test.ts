import { describe, expect, it } from 'vitest';
import pkg from '../../package.json';
import { SLIPWAY_VERSION } from './version';

describe('SLIPWAY_VERSION', () => {
  it('is the version in package.json', () => {
    expect(SLIPWAY_VERSION).toBe(pkg.version);
  });
});
