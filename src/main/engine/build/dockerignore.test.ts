import { describe, expect, it } from 'vitest';
import { SlipwayError } from '../../../shared/errors';
import { createDockerignoreMatcher, goClean, parseDockerignore } from './dockerignore';

function excluded(text: string, path: string): boolean {
  return createDockerignoreMatcher(text, { windows: false }).matches(path);
}

describe('parseDockerignore', () => {
  it('reads lines the way ignorefile.ReadAll does', () => {
    // The input and expectation of moby/patternmatcher's own ReadAll test, minus the bare `!` lines.
    const text = 'test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n';
    expect(parseDockerignore(text, { windows: false })).toEqual([
      'test1',
      'test2',
      'a/file/here',
      'lastfile',
      '!inverted/abs/path',
    ]);
  });

  it('cleans patterns, strips ./ and a BOM, and handles CRLF and padding', () => {
    const text = '\uFEFF./build/\r\n  dist//x/../y  \r\n!./keep/.\r\nfoo#bar\r\n   # indented comment\r\n.\r\n/\r\n';
    expect(parseDockerignore(text, { windows: false })).toEqual(['build', 'dist/y', '!keep', 'foo#bar', '.', '/']);
  });

  it('treats backslashes as separators only on Windows', () => {
    expect(parseDockerignore('foo\\bar', { windows: true })).toEqual(['foo/bar']);
    expect(parseDockerignore('foo\\*', { windows: false })).toEqual(['foo\\*']);
  });
});

describe('goClean', () => {
  it.each([
    ['', '.'],
    ['.', '.'],
    ['./a/', 'a'],
    ['a//b/./c/', 'a/b/c'],
    ['a/../..', '..'],
    ['../a/../b', '../b'],
    ['/../a', '/a'],
    ['/', '/'],
    ['!foo/', '!foo'],
  ])('%j -> %j', (input, output) => {
    expect(goClean(input)).toBe(output);
  });
});

describe('DockerignoreMatcher: the examples in Docker documentation', () => {
  const docsExample = '# comment\n*/temp*\n*/*/temp*\ntemp?\n';

  it('`*/temp*` excludes names starting with temp one level down', () => {
    expect(excluded(docsExample, 'somedir/temporary.txt')).toBe(true);
    expect(excluded(docsExample, 'somedir/temp')).toBe(true);
    expect(excluded(docsExample, 'somedir/temp/inside.txt')).toBe(true);
    expect(excluded('*/temp*', 'temporary.txt')).toBe(false);
    expect(excluded('*/temp*', 'a/b/temporary.txt')).toBe(false);
  });

  it('`*/*/temp*` excludes names starting with temp two levels down', () => {
    expect(excluded(docsExample, 'somedir/subdir/temporary.txt')).toBe(true);
    expect(excluded('*/*/temp*', 'somedir/temporary.txt')).toBe(false);
  });

  it('`temp?` excludes a one-character extension of temp in the root', () => {
    expect(excluded(docsExample, 'tempa')).toBe(true);
    expect(excluded(docsExample, 'tempb')).toBe(true);
    expect(excluded(docsExample, 'temp')).toBe(false);
    expect(excluded(docsExample, 'tempab')).toBe(false);
    expect(excluded('temp?', 'temp/')).toBe(false);
  });

  it('`**/*.go` excludes .go files at any depth, the root included', () => {
    expect(excluded('**/*.go', 'main.go')).toBe(true);
    expect(excluded('**/*.go', 'cmd/app/main.go')).toBe(true);
    expect(excluded('**/*.go', 'main.golang')).toBe(false);
    expect(excluded('**/*.go', 'go')).toBe(false);
  });

  it('`*.md` with `!README.md` keeps only the README', () => {
    const text = '*.md\n!README.md\n';
    expect(excluded(text, 'CHANGELOG.md')).toBe(true);
    expect(excluded(text, 'README.md')).toBe(false);
    // `*.md` is anchored at the root, as in Docker (unlike .gitignore).
    expect(excluded(text, 'docs/guide.md')).toBe(false);
  });

  it('the last matching line wins', () => {
    const secretLast = '*.md\n!README*.md\nREADME-secret.md\n';
    expect(excluded(secretLast, 'README-secret.md')).toBe(true);
    expect(excluded(secretLast, 'README-public.md')).toBe(false);
    expect(excluded(secretLast, 'NOTES.md')).toBe(true);

    const exceptionLast = '*.md\nREADME-secret.md\n!README*.md\n';
    expect(excluded(exceptionLast, 'README-secret.md')).toBe(false);
    expect(excluded(exceptionLast, 'NOTES.md')).toBe(true);
  });
});

describe('DockerignoreMatcher: directories and exceptions', () => {
  it('excludes everything below an excluded directory', () => {
    expect(excluded('node_modules', 'node_modules')).toBe(true);
    expect(excluded('node_modules', 'node_modules/a/b/c.js')).toBe(true);
    expect(excluded('node_modules', 'src/node_modules/x')).toBe(false);
    expect(excluded('/build/', 'build/out.o')).toBe(true);
  });

  it('re-includes a child of an excluded directory and says the directory must be walked', () => {
    const m = createDockerignoreMatcher('node_modules\n!node_modules/keep\n', { windows: false });
    expect(m.hasExclusions).toBe(true);
    expect(m.matches('node_modules')).toBe(true);
    expect(m.matches('node_modules/other/index.js')).toBe(true);
    expect(m.matches('node_modules/keep')).toBe(false);
    expect(m.matches('node_modules/keep/index.js')).toBe(false);
    expect(m.mayReincludeBelow('node_modules')).toBe(true);
    expect(m.mayReincludeBelow('node_modules/other')).toBe(false);
    expect(m.mayReincludeBelow('vendor')).toBe(false);
  });

  it('walks excluded directories when a `!` pattern has wildcards', () => {
    const m = createDockerignoreMatcher('*\n!*/keep.txt\n!src\n', { windows: false });
    expect(m.matches('a/drop.txt')).toBe(true);
    expect(m.matches('a/keep.txt')).toBe(false);
    expect(m.matches('a/b/keep.txt')).toBe(true);
    expect(m.matches('src/deep/file')).toBe(false);
    expect(m.mayReincludeBelow('a')).toBe(true);
    expect(m.mayReincludeBelow('a/b')).toBe(false);
  });

  it('re-includes files matched by a `**` exception inside an excluded directory', () => {
    const m = createDockerignoreMatcher('vendor\n!**/*.go\n', { windows: false });
    expect(m.matches('vendor/lib/a.go')).toBe(false);
    expect(m.matches('vendor/lib/a.c')).toBe(true);
    expect(m.mayReincludeBelow('vendor/lib')).toBe(true);
  });

  it('excluding everything and re-including one file', () => {
    const m = createDockerignoreMatcher('*\n!package.json\n!src/\n', { windows: false });
    expect(m.matches('package.json')).toBe(false);
    expect(m.matches('src/index.ts')).toBe(false);
    expect(m.matches('README.md')).toBe(true);
    expect(m.matches('test/a.ts')).toBe(true);
    expect(m.mayReincludeBelow('test')).toBe(false);
  });

  it('never excludes the context root itself', () => {
    expect(excluded('*\n**\n.', '.')).toBe(false);
  });
});

describe('DockerignoreMatcher: glob syntax', () => {
  it('handles `**` at the end, alone and inside a pattern', () => {
    expect(excluded('foo/**', 'foo/x')).toBe(true);
    expect(excluded('foo/**', 'foo/x/y')).toBe(true);
    expect(excluded('foo/**', 'foo')).toBe(false);
    expect(excluded('**', 'anything/at/all')).toBe(true);
    expect(excluded('a/**/b', 'a/b')).toBe(true);
    expect(excluded('a/**/b', 'a/x/y/b')).toBe(true);
    expect(excluded('a/**/b', 'a/xb')).toBe(false);
    expect(excluded('**/foo', 'foo')).toBe(true);
    expect(excluded('**/foo', 'x/y/foo')).toBe(true);
    expect(excluded('**/foo', 'x/barfoo')).toBe(false);
  });

  it('keeps Docker’s plain-suffix shortcut for a leading `**` without a slash', () => {
    expect(excluded('**foo', 'barfoo')).toBe(true);
    expect(excluded('**foo', 'a/barfoo')).toBe(true);
  });

  it('supports character classes and escapes as filepath.Match does', () => {
    expect(excluded('[a-c]x', 'bx')).toBe(true);
    expect(excluded('[a-c]x', 'dx')).toBe(false);
    expect(excluded('[^a-c]x', 'dx')).toBe(true);
    expect(excluded('[^a-c]x', 'ax')).toBe(false);
    expect(excluded('file[*]', 'file*')).toBe(true);
    expect(excluded('file[*]', 'fileX')).toBe(false);
    expect(excluded('a\\*b', 'a*b')).toBe(true);
    expect(excluded('a\\*b', 'axb')).toBe(false);
    expect(excluded('[\\]]', ']')).toBe(true);
    expect(excluded('v1.0', 'v1x0')).toBe(false);
    expect(excluded('a+(b)', 'a+(b)')).toBe(true);
    expect(excluded('日本*', '日本語.txt')).toBe(true);
  });

  it('matches file names with newlines and dots like any other character', () => {
    expect(excluded('a*', 'a\nb')).toBe(true);
    expect(excluded('*', '.env')).toBe(true);
  });

  it.each(['[', '[a', '[]', '[a-]', 'x\\', '[\\'])('refuses the malformed pattern %j like Docker', (pattern) => {
    expect(() => createDockerignoreMatcher(pattern, { windows: false })).toThrow(SlipwayError);
  });

  it('refuses a bare `!`', () => {
    try {
      createDockerignoreMatcher('!\n', { windows: false });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SlipwayError);
      expect((err as SlipwayError).code).toBe('BUILD_CONTEXT_INVALID');
    }
  });
});
