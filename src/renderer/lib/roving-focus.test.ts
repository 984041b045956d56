import { describe, expect, it } from 'vitest';
import { rovingTarget } from './roving-focus';

describe('rovingTarget', () => {
  it('moves down and up a vertical list, wrapping at both ends', () => {
    expect(rovingTarget('ArrowDown', 0, 3, 'vertical')).toBe(1);
    expect(rovingTarget('ArrowDown', 2, 3, 'vertical')).toBe(0);
    expect(rovingTarget('ArrowUp', 0, 3, 'vertical')).toBe(2);
    expect(rovingTarget('ArrowRight', 0, 3, 'vertical')).toBeUndefined();
  });

  it('moves right and left along a horizontal list, and Home/End go to the ends', () => {
    expect(rovingTarget('ArrowRight', 1, 3, 'horizontal')).toBe(2);
    expect(rovingTarget('ArrowLeft', 0, 3, 'horizontal')).toBe(2);
    expect(rovingTarget('Home', 2, 3, 'horizontal')).toBe(0);
    expect(rovingTarget('End', 0, 3, 'horizontal')).toBe(2);
    expect(rovingTarget('Enter', 0, 3, 'horizontal')).toBeUndefined();
  });
});
