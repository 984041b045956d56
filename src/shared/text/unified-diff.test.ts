import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './unified-diff';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n')).toBe('');
  });

  it('shows a changed line with its context, as diff -u does', () => {
    const before = [
      'name: shop',
      'services:',
      '  - name: web',
      '    http_port: 8080',
      '    instance_count: 1',
      '',
    ].join('\n');
    const after = before.replace('instance_count: 1', 'instance_count: 2');
    expect(unifiedDiff(before, after)).toBe(
      [
        '--- current',
        '+++ target',
        '@@ -2,4 +2,4 @@',
        ' services:',
        '   - name: web',
        '     http_port: 8080',
        '-    instance_count: 1',
        '+    instance_count: 2',
        '',
      ].join('\n'),
    );
  });

  it('splits distant changes into separate hunks with correct line numbers', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n');
    const after = before.replace('line 2\n', 'line two\n').replace('line 18', 'line 18\nadded');
    const diff = unifiedDiff(before, after);
    expect(diff.match(/^@@ .* @@$/gm)).toEqual(['@@ -1,5 +1,5 @@', '@@ -16,5 +16,6 @@']);
    expect(diff).toContain('-line 2\n+line two\n');
    expect(diff).toContain(' line 18\n+added\n');
  });
});
