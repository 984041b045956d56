import { describe, expect, it } from 'vitest';
import { cutText, sourceSummary } from './deployment-source-text';

describe('sourceSummary', () => {
  it('shows a commit short with its subject', () => {
    expect(sourceSummary({ kind: 'git', commit: 'abc1234def5678'.padEnd(40, '0'), subject: 'Fix login' })).toBe(
      'abc1234 Fix login',
    );
    expect(sourceSummary({ kind: 'git', commit: 'f'.repeat(40), subject: '' })).toBe('fffffff');
  });

  it('counts a folder’s changed files, or its files when there is nothing to compare with', () => {
    const folder = { kind: 'folder', contentHash: 'h', files: 12 } as const;
    expect(sourceSummary({ ...folder, filesChanged: 3 })).toBe('3 files changed');
    expect(sourceSummary({ ...folder, filesChanged: 1 })).toBe('1 file changed');
    expect(sourceSummary({ ...folder, filesChanged: 0 })).toBe('no files changed');
    expect(sourceSummary({ ...folder, filesChanged: null })).toBe('12 files');
    expect(sourceSummary({ ...folder, files: 1, filesChanged: null })).toBe('1 file');
  });
});

describe('cutText', () => {
  it('cuts by characters, never inside one', () => {
    expect(cutText('short', 10)).toBe('short');
    expect(cutText('abcdefghij', 5)).toBe('abcd…');
    expect(cutText('🚀🚀🚀🚀', 3)).toBe('🚀🚀…');
  });
});
