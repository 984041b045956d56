import { describe, expect, it } from 'vitest';
import { withoutColours } from './without-colours';

describe('withoutColours', () => {
  it('takes out colour sequences and keeps every other character', () => {
    expect(withoutColours("\x1b[91mdd: error writing '/fill': No space left on device\x1b[0m")).toBe(
      "dd: error writing '/fill': No space left on device",
    );
    expect(withoutColours('\x1b]0;title\x07 plain')).toBe('\x1b]0;title\x07 plain');
  });
});
