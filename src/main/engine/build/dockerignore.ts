import { SlipwayError } from '../../../shared/errors';

/*
 * A port of what `docker build` does with a .dockerignore: moby/patternmatcher's
 * ignorefile.ReadAll (reading) and PatternMatcher (matching), for slash-separated
 * paths relative to the build context. Staying this close to Docker matters more
 * than elegance: a context that differs from what `docker build` would send is a
 * build that behaves differently on Slipway.
 */

/** Reads .dockerignore text into the cleaned pattern list Docker would use (`!` kept as a prefix). */
export function parseDockerignore(text: string, options: { windows?: boolean } = {}): string[] {
  const windows = options.windows ?? process.platform === 'win32';
  const patterns: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (const line of lines) {
    let pattern = line.trim();
    // Only whole lines are comments: a `#` later in the line is part of the pattern.
    if (pattern === '' || pattern.startsWith('#')) continue;
    const invert = pattern.startsWith('!');
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern !== '') {
      // On Windows Docker treats `\` as the separator, elsewhere as an escape.
      if (windows) pattern = pattern.replaceAll('\\', '/');
      pattern = goClean(pattern);
      // Patterns are relative to the context, so `/foo` means `foo`.
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    patterns.push(invert ? `!${pattern}` : pattern);
  }
  return patterns;
}

/** Go's filepath.Clean for slash-separated paths; Docker applies it to every pattern. */
export function goClean(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(segment);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

type MatchType = 'exact' | 'prefix' | 'suffix' | 'regexp';

interface CompiledPattern {
  source: string;
  exclusion: boolean;
  type: MatchType;
  regexp: RegExp | null;
}

/** Decides, like Docker, which context paths a .dockerignore leaves out. */
export class DockerignoreMatcher {
  private readonly patterns: CompiledPattern[];
  private readonly segmentCache = new Map<string, CompiledPattern | null>();

  /** Throws BUILD_CONTEXT_INVALID for a pattern Docker would reject. */
  constructor(patterns: readonly string[]) {
    this.patterns = [];
    for (const raw of patterns) {
      let p = raw.trim();
      if (p === '') continue;
      p = goClean(p);
      let exclusion = false;
      if (p.startsWith('!')) {
        if (p.length === 1) {
          throw new SlipwayError('BUILD_CONTEXT_INVALID', '.dockerignore has an illegal exclusion pattern: "!"', {
            pattern: raw,
          });
        }
        exclusion = true;
        p = p.slice(1);
      }
      const syntaxError = checkGlobSyntax(p);
      if (syntaxError) {
        throw new SlipwayError('BUILD_CONTEXT_INVALID', `.dockerignore pattern "${raw}" is invalid: ${syntaxError}`, {
          pattern: raw,
        });
      }
      this.patterns.push({ ...compilePattern(p), exclusion });
    }
  }

  /** True when some pattern starts with `!`, so an excluded directory may still hold included files. */
  get hasExclusions(): boolean {
    return this.patterns.some((p) => p.exclusion);
  }

  /**
   * True when the context-relative path is left out: the last pattern that matches
   * the path or one of its parent directories wins (Docker's MatchesOrParentMatches).
   */
  matches(relPath: string): boolean {
    const file = goClean(relPath);
    if (file === '.') return false;
    const slash = file.lastIndexOf('/');
    const parents = slash === -1 ? [] : file.slice(0, slash).split('/');
    let matched = false;
    for (const pattern of this.patterns) {
      // A pattern can only change the answer when it points the other way.
      if (pattern.exclusion !== matched) continue;
      let match = matchPattern(pattern, file);
      for (let i = 0; !match && i < parents.length; i++) {
        match = matchPattern(pattern, parents.slice(0, i + 1).join('/'));
      }
      if (match) matched = !pattern.exclusion;
    }
    return matched;
  }

  /**
   * Whether an excluded directory must still be walked because a `!` pattern could
   * re-include something below it. Errs towards walking: walking too much costs time,
   * walking too little silently drops files Docker would have sent.
   */
  mayReincludeBelow(dirRelPath: string): boolean {
    const dir = goClean(dirRelPath).split('/');
    for (const pattern of this.patterns) {
      if (!pattern.exclusion) continue;
      if (pattern.source.includes('**')) return true;
      const segments = pattern.source.split('/');
      if (segments.length <= dir.length) continue;
      if (dir.every((name, i) => this.segmentMatches(segments[i] ?? '', name))) return true;
    }
    return false;
  }

  private segmentMatches(segment: string, name: string): boolean {
    let compiled = this.segmentCache.get(segment);
    if (compiled === undefined) {
      // A segment cut out of a valid pattern may not be valid alone (`a\/b`); then assume it could match.
      compiled = checkGlobSyntax(segment) ? null : { ...compilePattern(segment), exclusion: true };
      this.segmentCache.set(segment, compiled);
    }
    return compiled === null || matchPattern(compiled, name);
  }
}

/** Parses .dockerignore text into a matcher; throws BUILD_CONTEXT_INVALID on a bad pattern. */
export function createDockerignoreMatcher(text: string, options: { windows?: boolean } = {}): DockerignoreMatcher {
  return new DockerignoreMatcher(parseDockerignore(text, options));
}

function matchPattern(pattern: Omit<CompiledPattern, 'exclusion'>, path: string): boolean {
  switch (pattern.type) {
    case 'exact':
      return path === pattern.source;
    case 'prefix':
      return path.startsWith(pattern.source.slice(0, -2));
    case 'suffix': {
      const suffix = pattern.source.slice(2);
      // Docker's shortcut for a leading `**`: a plain suffix test, so `**foo` also matches `barfoo`.
      return path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
    }
    case 'regexp':
      return pattern.regexp !== null && pattern.regexp.test(path);
  }
}

const REGEXP_SYNTAX = new Set(['^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/']);

function literal(ch: string): string {
  return REGEXP_SYNTAX.has(ch) ? `\\${ch}` : ch;
}

function classChar(ch: string): string {
  return `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`;
}

/*
 * Mirrors patternmatcher's Pattern.compile, including which shortcut match type it
 * picks, because the shortcuts are not always equivalent to the regexp. Character
 * classes and `\` escapes follow Go's filepath.Match rather than being pasted into a
 * regexp, so `[*]` or `\d` mean what the glob syntax says.
 */
function compilePattern(source: string): Omit<CompiledPattern, 'exclusion'> {
  const chars = Array.from(source);
  let re = '^';
  let type: MatchType = 'exact';
  let pos = 0;
  for (let i = 0; pos < chars.length; i++) {
    const ch = chars[pos++] as string;
    if (ch === '*') {
      if (chars[pos] === '*') {
        pos++;
        if (chars[pos] === '/') pos++;
        if (pos >= chars.length) {
          if (type === 'exact') {
            type = 'prefix';
          } else {
            re += '.*';
            type = 'regexp';
          }
        } else {
          re += '(?:.*/)?';
          type = 'regexp';
        }
        if (i === 0) type = 'suffix';
      } else {
        re += '[^/]*';
        type = 'regexp';
      }
    } else if (ch === '?') {
      re += '[^/]';
      type = 'regexp';
    } else if (ch === '\\') {
      // checkGlobSyntax already refused a trailing backslash.
      re += literal(chars[pos++] ?? '\\');
      type = 'regexp';
    } else if (ch === '[') {
      const parsed = parseClass(chars, pos);
      re += parsed.regexp;
      pos = parsed.end;
      type = 'regexp';
    } else {
      re += literal(ch);
      if (ch === ']') type = 'regexp';
    }
  }
  return { source, type, regexp: type === 'regexp' ? new RegExp(`${re}$`, 'su') : null };
}

/** Translates a Go character class starting after its `[`; the syntax was checked beforehand. */
function parseClass(chars: string[], start: number): { regexp: string; end: number } {
  let pos = start;
  let negated = false;
  if (chars[pos] === '^') {
    negated = true;
    pos++;
  }
  let body = '';
  let ranges = 0;
  while (pos < chars.length) {
    if (chars[pos] === ']' && ranges > 0) {
      pos++;
      break;
    }
    if (chars[pos] === '\\') pos++;
    const lo = chars[pos++] as string;
    let hi = lo;
    if (chars[pos] === '-') {
      pos++;
      if (chars[pos] === '\\') pos++;
      hi = chars[pos++] as string;
    }
    // Go's reversed range matches nothing; a JS one is a syntax error, so leave it out.
    if ((lo.codePointAt(0) ?? 0) <= (hi.codePointAt(0) ?? 0)) {
      body += lo === hi ? classChar(lo) : `${classChar(lo)}-${classChar(hi)}`;
    }
    ranges++;
  }
  return { regexp: `[${negated ? '^' : ''}${body}]`, end: pos };
}

/** Returns why Go's filepath.Match would reject the pattern, or null when it is well formed. */
function checkGlobSyntax(pattern: string): string | null {
  const chars = Array.from(pattern);
  let pos = 0;
  const escapedChar = (): string | null => {
    const ch = chars[pos];
    if (ch === undefined || ch === '-' || ch === ']') return 'bad character range';
    if (ch === '\\') {
      pos++;
      if (chars[pos] === undefined) return 'unterminated escape in character class';
    }
    pos++;
    if (pos >= chars.length) return 'unterminated character class';
    return null;
  };
  while (pos < chars.length) {
    const ch = chars[pos++];
    if (ch === '\\') {
      if (pos >= chars.length) return 'trailing backslash';
      pos++;
    } else if (ch === '[') {
      if (chars[pos] === '^') pos++;
      let ranges = 0;
      for (;;) {
        if (chars[pos] === ']' && ranges > 0) {
          pos++;
          break;
        }
        const err = escapedChar();
        if (err) return err;
        if (chars[pos] === '-') {
          pos++;
          const errHi = escapedChar();
          if (errHi) return errHi;
        }
        ranges++;
      }
    }
  }
  return null;
}
