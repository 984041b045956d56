import { describe, expect, it } from 'vitest';
import { joinSourcePath, normaliseSourcePath } from './source-paths';

const ok = (path: string) => ({ ok: true, path });

describe('normaliseSourcePath', () => {
  it('reads a leading slash as the source root, as DigitalOcean does', () => {
    expect(normaliseSourcePath('/')).toEqual(ok(''));
    expect(normaliseSourcePath('/backend')).toEqual(ok('backend'));
    expect(normaliseSourcePath('/backend/Dockerfile')).toEqual(ok('backend/Dockerfile'));
  });

  it('normalises dots, repeated and trailing slashes', () => {
    expect(normaliseSourcePath('.')).toEqual(ok(''));
    expect(normaliseSourcePath('./')).toEqual(ok(''));
    expect(normaliseSourcePath('')).toEqual(ok(''));
    expect(normaliseSourcePath('./gui//DockerfileProd')).toEqual(ok('gui/DockerfileProd'));
    expect(normaliseSourcePath('a/b/../c/')).toEqual(ok('a/c'));
    expect(normaliseSourcePath('a/..')).toEqual(ok(''));
  });

  it('treats backslashes as separators', () => {
    expect(normaliseSourcePath('api\\Dockerfile')).toEqual(ok('api/Dockerfile'));
  });

  it.each(['..', '../x', '../../etc', 'a/../../b', '/..', '..\\..\\etc', 'a/b/../../../c'])(
    'refuses %s, which leaves the source root',
    (raw) => {
      expect(normaliseSourcePath(raw)).toMatchObject({ ok: false, reason: expect.stringContaining('outside') });
    },
  );

  it.each(['C:\\Windows', 'c:/x', '\\\\server\\share', '//server/share'])('refuses the Windows path %s', (raw) => {
    expect(normaliseSourcePath(raw)).toMatchObject({ ok: false, reason: expect.stringContaining('Windows') });
  });

  it('refuses NUL and other control characters', () => {
    expect(normaliseSourcePath('a\u0000b')).toMatchObject({ ok: false });
    expect(normaliseSourcePath('a\nb')).toMatchObject({ ok: false });
  });

  it('keeps names that merely contain dots', () => {
    expect(normaliseSourcePath('..foo/.bar/x..y')).toEqual(ok('..foo/.bar/x..y'));
  });
});

describe('joinSourcePath', () => {
  it('joins normalised paths, the root being empty', () => {
    expect(joinSourcePath('', 'Dockerfile')).toBe('Dockerfile');
    expect(joinSourcePath('api', 'Dockerfile')).toBe('api/Dockerfile');
  });
});
