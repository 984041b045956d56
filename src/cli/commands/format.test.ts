import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../shared/deployment';
import { componentsTable, deploymentsTable, deploymentText } from './format';

function deployment(parts: Partial<Deployment>): Deployment {
  return {
    id: 'dep1abc',
    app: 'shop',
    plan: { type: 'build', revision: null },
    cause: 'manual',
    phase: 'ACTIVE',
    specYaml: '',
    sourceRevision: null,
    images: {},
    containers: {},
    endpoints: [],
    progress: [],
    options: { forceRebuild: false, clearCache: false },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:10.000Z',
    finishedAt: '2026-01-01T00:00:10.000Z',
    ...parts,
  };
}

const commit = 'abc1234'.padEnd(40, 'f');

describe('deploymentsTable', () => {
  it('shows the title, the source in a few words, and no duration for a dropped deployment', () => {
    const text = deploymentsTable([
      deployment({ title: 'Fix login', source: { kind: 'git', commit, subject: 'Fix the login form' } }),
      deployment({
        id: 'dep2abc',
        title: 'Manual deployment',
        source: { kind: 'folder', contentHash: 'h'.repeat(64), files: 4, filesChanged: 3 },
      }),
      deployment({ id: 'dep3abc', title: 'Rebuild deployment', phase: 'DROPPED', finishedAt: undefined }),
      // Recorded before titles: its cause stands in.
      deployment({ id: 'dep4abc', sourceRevision: commit }),
    ]);
    const [header, ...rows] = text.split('\n');
    expect(header).toMatch(/^ID\s+Title\s+Phase\s+Source\s+Created\s+Duration$/);
    expect(rows[0]).toMatch(/^dep1abc\s+Fix login\s+ACTIVE\s+abc1234 Fix the login form\s+.*10\.0s$/);
    expect(rows[1]).toMatch(/Manual deployment\s+ACTIVE\s+3 files changed/);
    expect(rows[2]).toMatch(/Rebuild deployment\s+DROPPED\s+-\s+.*ago\s+-$/);
    expect(rows[3]).toMatch(/^dep4abc\s+manual\s+ACTIVE\s+abc1234ffff/);
  });

  it('cuts a long title in the table', () => {
    const text = deploymentsTable([deployment({ title: 'x'.repeat(200) })]);
    expect(text).toContain(`${'x'.repeat(47)}…`);
    expect(text).not.toContain('x'.repeat(48));
  });
});

describe('deploymentText', () => {
  it('shows the whole title, the note line by line, the source and who dropped it', () => {
    const text = deploymentText(
      deployment({
        title: 'Fix login',
        description: 'first\nsecond',
        phase: 'DROPPED',
        finishedAt: undefined,
        dropped: { at: '2026-01-01T00:00:05.000Z', by: 'cli' },
        source: { kind: 'folder', contentHash: 'a'.repeat(64), files: 4, filesChanged: null },
      }),
    );
    expect(text).toContain('Title:     Fix login\nNote:      first\n           second\n');
    expect(text).toContain('Source:    folder, 4 files (content aaaaaaaaaaaa), first deployment of this folder');
    expect(text).toContain('Dropped:   from the queue by cli at 2026-01-01T00:00:05.000Z');
    expect(text).toContain('Created:   2026-01-01T00:00:00.000Z\n');
  });
});

describe('componentsTable', () => {
  const web = { name: 'web', kind: 'service' as const, instanceCount: 1, url: 'http://127.0.0.1:41000' };
  it('adds a Public URL column only when the server edge serves a component', () => {
    expect(componentsTable([web])).not.toContain('Public URL');
    const text = componentsTable([
      { ...web, publicUrls: ['https://shop.example.test', 'https://www.example.test'] },
      { name: 'worker', kind: 'worker' as const, instanceCount: 1, url: null },
    ]);
    expect(text).toContain('Public URL');
    expect(text).toMatch(/web .*https:\/\/shop\.example\.test, https:\/\/www\.example\.test/);
    expect(text.split('\n').find((l) => l.startsWith('worker'))).toMatch(/-\s+-\s*$/);
  });
});
