import { describe, expect, it } from 'vitest';
import { isOwnedBy, slipwayLabels } from './labels';

describe("Slipway's labels", () => {
  it('name the installation on everything, with the app, component and deployment when given', () => {
    expect(slipwayLabels('abcd', 'shop', 'web', 'd1')).toEqual({
      'dev.slipway.managed': 'true',
      'dev.slipway.owner': 'abcd',
      'dev.slipway.app': 'shop',
      'dev.slipway.component': 'web',
      'dev.slipway.deployment': 'd1',
    });
  });

  it("take an object as this installation's when it says so, or when it predates owners", () => {
    expect(isOwnedBy('abcd', { 'dev.slipway.owner': 'abcd' })).toBe(true);
    expect(isOwnedBy('abcd', { 'dev.slipway.managed': 'true' })).toBe(true);
    expect(isOwnedBy('abcd', { 'dev.slipway.owner': 'ffff' })).toBe(false);
  });
});
